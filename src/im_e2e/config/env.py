"""`${NAME}` in configuration strings, replaced from the environment (every section, every file).

`$${NAME}` stays `${NAME}` (for a command template that wants its shell to expand it), `$NAME` is
never touched. A `${NAME}` whose variable is not set is an error when the file is read.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from .errors import ConfigError

_REF = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}")


def expand_env(value: Any, environ: Mapping[str, str], where: str = "") -> Any:
    """`value` with every `${NAME}` in its strings (recursively) replaced by `environ[NAME]`."""
    if isinstance(value, str):
        def sub(match: re.Match) -> str:
            escaped, name = match.groups()
            if escaped:
                return "${" + name + "}"
            if name not in environ:
                raise ConfigError(f"{where or 'config'}: environment variable {name} is not set "
                                  f"(write $${{{name}}} to leave it to a command's shell)")
            return environ[name]
        return _REF.sub(sub, value)
    if isinstance(value, list):
        return [expand_env(v, environ, f"{where}[{n}]") for n, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: expand_env(v, environ, f"{where}.{k}" if where else k) for k, v in value.items()}
    return value
