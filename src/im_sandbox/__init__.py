"""im_sandbox: an embedded Easemob-style IM server (msync over TCP and WebSocket + REST).

    from im_sandbox import SandboxConfig, start_in_thread
    handle = start_in_thread(SandboxConfig(http_port=0, tcp_port=0, data_dir=tmp))
    handle.info["rest_url"], handle.info["ws_url"], handle.info["tcp_port"]
    handle.stop()

or `python -m im_sandbox --help`. Only `im_wire` is shared with the client.
"""
from .app import Sandbox
from .config import SandboxConfig
from .runner import SandboxHandle, start_in_thread

__all__ = ["Sandbox", "SandboxConfig", "SandboxHandle", "start_in_thread"]
