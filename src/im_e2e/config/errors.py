"""The one error a configuration can raise: it names the file, section and key that are wrong."""
from __future__ import annotations


class ConfigError(ValueError):
    """A configuration that cannot be used: a missing named file, an unknown section or key, a wrong
    type, an unset `${VAR}`, an incomplete target."""
