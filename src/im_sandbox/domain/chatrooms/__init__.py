"""Chatrooms (docs/protocol/msync.md §5.1–§5.3, docs/protocol/rest.md §4.3–§4.4, §6): the logic shared by the msync handlers
(msync/chatrooms.py) and the REST modules (rest/chatroom*.py). Reached through `ctx.chatrooms`.

| module | job |
|---|---|
| `service.py` | `Chatrooms`: join / leave / kick / destroy, the disconnect grace period |
| `presence.py` | who is present in each room now (in memory), grace timers |
| `notify.py` | MUC notifications and direct pushes to the present devices |
| `sending.py` | room messages: speaker checks, shedding and priority budget, fan-out, REST sends, broadcast |
| `budget.py` | the per-room delivery budget (`chatroom_msg_budget`) |
| `shedding.py` | traffic control: low, then normal room messages shed under downstream pressure |
| `attributes.py` | chatroom attributes with per-key results and SET/DELETE_METADATA |
| `errors.py` | `RoomError`: one refusal, its msync reason and its REST status |
"""
from .errors import RoomError
from .service import Chatrooms

__all__ = ["Chatrooms", "RoomError"]
