"""The domain: what the sandbox does, whatever the transport (msync over TCP or WebSocket, REST).

It sits on the store and is used by the transports (`msync/`) and the REST routes (`rest/`), never
the other way round: nothing here imports `msync`, `rest` or `context`. Where the domain must reach
a connected device it goes through the protocols of `devices.py`, which `msync.hub.Hub` implements.

| module | job |
|---|---|
| `services.py` | `Services`: what every domain function is handed (config, store, ids, events, settings, faults, devices) |
| `devices.py` | `Device` / `Devices`: connected devices as the domain sees them; the kick operations |
| `results.py` | `MetaResult`: what the ack of an upstream meta carries; `DEFERRED` |
| `auth.py` | token issue/verification, password checks |
| `queues.py` | queue keys ↔ JIDs |
| `delivery.py` | envelope rewrite, store + queue items + NOTICE |
| `fanout.py` | every device of many users as targets; the offline limit of conference queues |
| `notify.py` | NOTIFY metas (JSON) queued on the system queue |
| `chat.py` | 1:1 routing: the recipient's devices and the sender's other devices |
| `send_policy.py` | global mute, size, sensitive words, send rate for every chat type |
| `recall.py` | the shared recall core, `RECALL_SCOPES`, the 1:1 scope |
| `groups.py`, `group_notify.py`, `group_recall.py` | group/thread send checks, MUC and thread notifications, the `groupchat` recall scope |
| `traffic.py` | downstream traffic control of group messages (the ticket pool) |
| `chatrooms/` | chatrooms: membership, presence, room messages and notifications |
"""
