"""The wire floor: what the client and the sandbox both stand on, and nothing else.

The msync schema and its generated module, framing, status codes and reason strings, JIDs and
appkeys, and the declaration of app settings (settings.py). The sandbox imports nothing of
im_client and im_client nothing of the sandbox, so a client bug cannot hide a sandbox bug.
"""
from . import msync_pb2 as pb
from .codes import ErrorCode, Reason
from .framing import MAX_FRAME_SIZE, FrameDecoder, FrameTooLarge, encode_frame
from .appkey import split_appkey
from .jid import CONFERENCE_DOMAIN, USER_DOMAIN, make_jid, jid_text

__all__ = [
    "pb",
    "ErrorCode",
    "Reason",
    "MAX_FRAME_SIZE",
    "FrameDecoder",
    "FrameTooLarge",
    "encode_frame",
    "CONFERENCE_DOMAIN",
    "USER_DOMAIN",
    "make_jid",
    "jid_text",
    "split_appkey",
]
