"""im_client: a thin, synchronous msync + REST client for Easemob-style IM services.

    target = Target.from_info(info)
    rest = RestClient(target)
    rest.token = rest.must_app_token().access_token
    alice = Client(target, "alice", token=rest.must_user_token("alice", "pw").access_token, transport="ws")
    alice.open()
    sent = alice.must_send_text("bob", "hello", ext={"k": 1})
"""
from . import match
from .client import Client
from .errors import (ConnectionClosed, ImError, LoginError, MsyncError, RestError, SendError, Timeout,
                     WaitTimeout)
from .ext import Typed
from .messages import Message, Notice
from im_wire import ErrorCode, Reason
from .rest import RestClient, Token
from .replies import Ack, Sent, ServerError
from .session import Session
from .target import Target
from .transport import TRANSPORTS
from .wirelog import WireLog

__all__ = [
    "match", "Client", "ConnectionClosed", "ImError", "LoginError", "MsyncError", "RestError", "SendError",
    "Timeout", "WaitTimeout", "Typed", "Message", "Notice", "ErrorCode", "Reason", "RestClient", "Token",
    "Ack", "Sent", "ServerError", "Session", "Target", "TRANSPORTS", "WireLog",
]
