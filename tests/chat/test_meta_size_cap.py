"""The cap on one upstream meta (docs/protocol/msync.md §6.1, rule `meta-size-cap`): a meta may be at most
64 KiB short of the 4 MiB frame limit, so every frame the server sends on stays within the limit. At the cap
the meta is served; one byte over it is PERMISSION_DENIED "Sorry, data is too large", whatever its
namespace, and the connection serves on. A client-statistics meta (namespace STATISTIC, acknowledged and
otherwise ignored) carries the bytes, so no per-message size setting is involved."""
import pytest

from im_client import ErrorCode, Reason, match
from im_client.replies import next_meta_id
from im_wire import MAX_FRAME_SIZE, pb

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]

MAX_META_BYTES = MAX_FRAME_SIZE - 64 * 1024  # rule meta-size-cap


def _statistic_meta(size: int) -> pb.Meta:
    """A STATISTIC meta of exactly `size` encoded bytes, its client id included."""
    meta = pb.Meta(id=next_meta_id(), ns=pb.Meta.STATISTIC, payload=b"")
    meta.payload = b"s" * (size - meta.ByteSize())
    while meta.ByteSize() > size:  # the payload's length prefix grew with it
        meta.payload = meta.payload[:-1]
    assert meta.ByteSize() == size
    return meta


@pytest.mark.rule("meta-size-cap")
@pytest.mark.parametrize("over", [0, 1], ids=["at-the-cap", "one-byte-over"])
def test_a_meta_at_the_cap_is_served_and_one_byte_more_is_too_large(alice, bob, over):
    ack = alice.send_meta(_statistic_meta(MAX_META_BYTES + over))
    expected = (ErrorCode.PERMISSION_DENIED, Reason.DATA_TOO_LARGE) if over else (ErrorCode.OK, "")
    assert (ack.code, ack.reason or "") == expected
    after = alice.must_send_text(bob.name, "still serving")
    bob.wait_for(match.of(after))
