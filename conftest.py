"""Root of the suite: loads the fixture plugins. Markers are registered in pyproject.toml."""

pytest_plugins = [
    "fixtures.outcomes",
    "fixtures.rules",
    "fixtures.target",
    "fixtures.owners",
    "fixtures.accounts",
    "fixtures.clients",
    "fixtures.app_config",
    "fixtures.chatrooms",
    "fixtures.groups",
    "fixtures.storage",
    "fixtures.redis_server",
    "fixtures.kafka_server",
    "fixtures.persistence",
    "fixtures.reports",
    "fixtures.faults",
    "fixtures.load",
    "fixtures.workers",
]
