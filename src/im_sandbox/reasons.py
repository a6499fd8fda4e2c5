"""Status reasons the sandbox needs that `im_wire.Reason` does not (yet) define.

Kept in this one place so they can move into `Reason` unchanged.
"""

# docs/protocol/msync.md §6.1: the SDK maps a FAIL whose reason contains "username" and "doesn't exist!" to 204
USER_NOT_EXIST = "username {} doesn't exist!"
# a namespace / message type the sandbox does not implement yet, e.g. "GROUPCHAT is not supported..."
NOT_SUPPORTED = "{} is not supported by the sandbox"
# a connection that did not provision in time (SandboxConfig.provision_timeout): the last status on
# TCP, the close reason on WebSocket
PROVISION_TIMEOUT = "no PROVISION within {:g} s"
# an unexpected exception in a handler (details are in sandbox.log)
INTERNAL_ERROR = "internal server error"
