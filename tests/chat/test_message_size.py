"""Message size limit (docs/protocol/rest.md §8.3, docs/protocol/msync.md §6.1): body + ext over `max_message_size` (5 KB by
default) is refused with PERMISSION_DENIED "Sorry, data is too large" and never delivered.

What is measured: the encoded contents plus the encoded ext entries of the MessageBody."""
import pytest

from im_client import ErrorCode, Reason, match
from im_client import messages as m
from im_client.ext import encode_ext

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]

LIMIT = 300


def text_of_size(size: int) -> str:
    """A text whose encoded TEXT content is exactly `size` bytes."""
    text = "x" * size
    while m.text_content(text).ByteSize() > size:
        text = text[:-1]
    assert m.text_content(text).ByteSize() == size
    return text


@pytest.mark.rule("message-size-5kb", "send-policy-order")
def test_default_limit_refuses_six_kilobytes(alice, bob):
    """A 6,000-byte text is over the default 5 KB limit and never delivered."""
    ack = alice.send_text(bob.name, "é" * 3000)  # 6000 bytes of UTF-8
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.DATA_TOO_LARGE)
    after = alice.must_send_text(bob.name, "small enough")
    assert bob.wait_for(match.sender(alice.name)).id == after.server_id


def test_default_limit_lets_four_kilobytes_through(alice, bob):
    """A 4 KB text is within the default limit."""
    sent = alice.must_send_text(bob.name, "k" * 4096)
    assert len(bob.wait_for(match.of(sent)).text) == 4096


@pytest.mark.app_config(max_message_size=LIMIT)
@pytest.mark.rule("message-size-5kb", "size-measure")
def test_exactly_the_limit_passes_one_byte_more_is_refused(alice, bob):
    """A message of exactly the limit is accepted; one byte more is refused."""
    fits = alice.must_send_text(bob.name, text_of_size(LIMIT))
    ack = alice.send_text(bob.name, text_of_size(LIMIT + 1))
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.DATA_TOO_LARGE)
    bob.wait_for(match.of(fits))


@pytest.mark.app_config(max_message_size=LIMIT)
@pytest.mark.rule("size-measure")
def test_ext_counts_towards_the_limit(alice, bob):
    """Ext bytes count: text + ext one byte over the limit is refused, at the limit accepted."""
    ext = {"note": "n" * 200}
    ext_size = sum(kv.ByteSize() for kv in encode_ext(ext))
    ack = alice.send_text(bob.name, text_of_size(LIMIT - ext_size + 1), ext=ext)
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.DATA_TOO_LARGE)
    alice.must_send_text(bob.name, text_of_size(LIMIT - ext_size), ext=ext)


@pytest.mark.passthrough
@pytest.mark.app_config(max_message_size=LIMIT)
@pytest.mark.rule("size-measure")
def test_custom_and_command_messages_have_the_same_limit(alice, bob):
    """Commands and custom messages are held to the same limit."""
    for ack in (alice.send_command(bob.name, "a" * LIMIT),
                alice.send_custom(bob.name, "big", exts={"blob": "b" * LIMIT})):
        assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.DATA_TOO_LARGE)


@pytest.mark.rule("size-measure")
def test_rest_send_over_the_limit_is_refused(bob, admin):
    """A REST send over the limit is a 400 "message is too large" with error_code 14007."""
    resp = admin.send_text_to_users([bob.name], "z" * 6000)
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (
        400, "message_send_error", "message is too large")
    assert body["error_code"] == 14007
