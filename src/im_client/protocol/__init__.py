"""The wire definition shared by the client and the sandbox: schema, framing, codes, JIDs.

Nothing else of im_client is imported by the sandbox, so a client bug cannot hide a sandbox bug.
"""
from . import msync_pb2 as pb
from .codes import ErrorCode, Reason
from .framing import MAX_FRAME_SIZE, FrameDecoder, FrameTooLarge, encode_frame
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
]
