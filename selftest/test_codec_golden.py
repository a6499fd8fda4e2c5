"""The codec against frames the official Web SDK encoded (vectors/golden.json)."""
import json
import pathlib

import pytest

from im_client import messages as m
from im_client.ext import encode_ext
from im_wire import pb
from im_wire.jid import make_jid

pytestmark = pytest.mark.selftest

VECTORS = json.loads((pathlib.Path(__file__).parent / "vectors" / "golden.json").read_text())
APPKEY = "org#app"
Body = m.Body


def frame(name: str) -> pb.MSync:
    return pb.MSync.FromString(bytes.fromhex(VECTORS[name]["hex"]))


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_every_sdk_frame_decodes_with_the_schema(name):
    msync = frame(name)
    assert pb.MSync.Command.Name(msync.command) == VECTORS[name]["decoded"]["command"]
    if msync.command == pb.MSync.SYNC:
        ul = pb.CommSyncUL.FromString(msync.payload)
        if ul.HasField("meta") and ul.meta.ns == pb.Meta.CHAT:
            body = Body.FromString(ul.meta.payload)
            assert body.SerializeToString() == ul.meta.payload


@pytest.mark.parametrize("name", ["provision", "single_text"])
def test_reencoding_is_byte_identical(name):
    raw = bytes.fromhex(VECTORS[name]["hex"])
    assert pb.MSync.FromString(raw).SerializeToString() == raw


def sdk_meta(name: str) -> pb.Meta:
    return pb.CommSyncUL.FromString(frame(name).payload).meta


BUILDERS = {
    "single_text": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.CHAT, m.text_content("hello")),
    "single_text_ext": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.CHAT, m.text_content("hi"),
                                           ext={"s": "str", "n": 42, "f": 1.5, "b": True, "o": {"k": "v"}}),
    "cmd": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.CHAT, m.command_content("typing"), ext={"k": "v"}),
    "custom": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.CHAT,
                                  m.custom_content("gift", {"count": 3, "name": "rose"})),
    "read_ack_single": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.READ_ACK, None,
                                           ack_message_id=1100000000000000001),
    "delivery_ack": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.DELIVER_ACK, None,
                                        ack_message_id=1100000000000000003),
    "channel_ack": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.CHANNEL_ACK, None),
    "recall_single": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.RECALL, None,
                                         ack_message_id=1100000000000000004,
                                         meta_ext={"recallMessageExtensionInfo": "why"}),
    "deliver_online_only": lambda: m.chat_meta(APPKEY, "alice", "bob", Body.CHAT, m.text_content("x"),
                                               routetype=pb.Meta.ROUTE_ONLINE),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builders_produce_the_sdk_bytes(name):
    """Our upstream metas are byte-identical to the SDK's (same local id)."""
    expected = sdk_meta(name)
    ours = BUILDERS[name]()
    ours.id = expected.id
    assert ours.SerializeToString() == expected.SerializeToString()


def test_ext_typing_follows_the_sdk():
    body = Body.FromString(sdk_meta("single_text_ext").payload)
    ours = encode_ext({"s": "str", "n": 42, "f": 1.5, "b": True, "o": {"k": "v"}})
    assert [kv.SerializeToString() for kv in ours] == [kv.SerializeToString() for kv in body.ext]


def test_pull_with_key_layout():
    expected = pb.CommSyncUL.FromString(frame("sync_pull_with_key").payload)
    ours = pb.CommSyncUL(queue=make_jid(APPKEY, "bob"), key=4418424085)
    assert ours.SerializeToString() == expected.SerializeToString()


def test_decoded_message_exposes_sdk_fields():
    meta = sdk_meta("custom")
    got = m.decode_meta(meta, "alice@easemob.com")
    assert (got.kind, got.content_type, got.custom_event) == ("chat", "custom", "gift")
    assert {k: v.value for k, v in got.custom_exts.items()} == {"count": 3, "name": "rose"}
