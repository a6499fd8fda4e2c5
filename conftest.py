"""Root of the suite: loads the fixture plugins. Markers are registered in pyproject.toml."""

pytest_plugins = [
    "fixtures.outcomes",
    "fixtures.target",
    "fixtures.owners",
    "fixtures.accounts",
    "fixtures.clients",
    "fixtures.app_config",
    "fixtures.reports",
]
