"""Appkeys: `org#app`, the name of one application on the service."""
from __future__ import annotations


def split_appkey(appkey: str) -> tuple[str, str]:
    """(org, app) of an `org#app` appkey; anything else is a ValueError that says what it got."""
    org, sep, app = appkey.partition("#")
    if not sep or not org or not app or "#" in app:
        raise ValueError(f"appkey must look like org#app, got {appkey!r}")
    return org, app
