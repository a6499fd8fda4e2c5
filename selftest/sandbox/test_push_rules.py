"""The pure parts of do-not-disturb and of the REST message form: the interval rule of domain/push.py
and the `payload` text of rest/message_json.py."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from im_sandbox.domain.push import _in_interval
from im_sandbox.rest.message_json import message_json
from im_wire import pb

pytestmark = pytest.mark.selftest


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 1, 1, hour, minute, tzinfo=timezone.utc)


@pytest.mark.parametrize(("interval", "now", "inside"), [
    ("8:00-18:00", at(12, 0), True), ("8:00-18:00", at(18, 0), False), ("8:00-18:00", at(7, 59), False),
    ("21:30-8:00", at(23, 0), True), ("21:30-8:00", at(3, 0), True), ("21:30-8:00", at(8, 0), False),
    ("0:00-0:00", at(15, 45), True),
])
def test_interval_holds_its_start_not_its_end_and_wraps_midnight(interval, now, inside):
    assert _in_interval(interval, now) is inside


def test_message_json_is_the_shape_the_web_sdk_parses():
    body = pb.MessageBody(type=pb.MessageBody.CHAT)
    body.contents.add(type=pb.MessageBody.Content.TEXT, text="hi")
    body.ext.add(key="n", type=pb.KeyValue.INT, varintValue=7)
    body.ext.add(key="ok", type=pb.KeyValue.BOOL, varintValue=1)
    meta = pb.Meta(id=99, timestamp=1234, ns=pb.Meta.CHAT, payload=body.SerializeToString(),
                   to=pb.JID(name="bob"), **{"from": pb.JID(name="alice")})
    out = message_json(meta.SerializeToString())
    assert {k: out[k] for k in ("id", "from", "to", "timestamp")} == {"id": "99", "from": "alice", "to": "bob",
                                                                      "timestamp": 1234}
    assert json.loads(out["payload"]) == {"from": "alice", "to": "bob", "type": "chat",
                                          "bodies": [{"type": "txt", "msg": "hi"}], "ext": {"n": 7, "ok": True}}
