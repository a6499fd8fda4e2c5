"""The documented limits of sending, editing and history (docs/protocol/rest.md §3), as one table:
each probed one under, at and one over the limit. Under and at are accepted; one over gets the
documented answer (status, error, description). The message size limit has its own exact probe in
test_message_size.py."""
import pytest

from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]

RECIPIENTS, GROUP_TARGETS, ROOM_TARGETS, DIRECTED_USERS = 600, 3, 10, 20
CUSTOM_EXTS, PULL, DELETE_IDS, EDITS = 16, 50, 50, 10


def _recipients(offset, ctx):
    names = [f"{ctx.alice.name}-to-{n}" for n in range(RECIPIENTS + offset)]
    return ctx.admin.send_text_to_users(names, "to many", sender=ctx.alice.name)


def _group_targets(offset, ctx):
    groups = [ctx.make_group(ctx.alice).id for _ in range(GROUP_TARGETS + offset)]
    return ctx.admin.send_text_to_groups(groups, "to several groups", sender=ctx.alice.name)


def _room_targets(offset, ctx):
    rooms = [ctx.make_room(ctx.alice).id for _ in range(ROOM_TARGETS + offset)]
    return ctx.admin.send_to_chatrooms(rooms, "txt", {"msg": "to several rooms"}, sender=ctx.alice.name)


def _directed_users(offset, ctx):
    room = ctx.make_room(ctx.alice)
    users = [f"{ctx.alice.name}-d{n}" for n in range(DIRECTED_USERS + offset)]
    return ctx.admin.send_directed_text("chatrooms", room.id, users, "to some", sender=ctx.alice.name)


def _custom_exts(offset, ctx):
    exts = {f"k{n}": "v" for n in range(CUSTOM_EXTS + offset)}
    return ctx.admin.send_custom_to_users(ctx.bob, "many_exts", exts, sender=ctx.alice.name)


def _pull(offset, ctx):
    ctx.admin.must_send_text_to_users(ctx.bob, "history", sender=ctx.alice.name)
    return ctx.admin.message_roaming(ctx.bob, conversation_queue(ctx.alice.name), pull_number=PULL + offset)


def _delete_ids(offset, ctx):
    ids = [int(ctx.admin.must_send_text_to_users(ctx.bob, "doomed", sender=ctx.alice.name)[ctx.bob])]
    ids += [ids[0] + n for n in range(1, DELETE_IDS + offset)]  # unknown ids are counted too
    return ctx.admin.delete_roaming_messages(ctx.bob, ids, peer=ctx.alice.name)


def _edits(offset, ctx):
    msg = ctx.admin.must_send_text_to_users(ctx.bob, "draft 0", sender=ctx.alice.name)[ctx.bob]
    for n in range(1, EDITS + offset):
        ctx.admin.must_rewrite_message(msg, {"type": "txt", "msg": f"draft {n}"})
    return ctx.admin.rewrite_message(msg, {"type": "txt", "msg": "the last word"})


SEND_ERROR = (400, "message_send_error")
EDIT_LIMIT = "The message has reached its edit limit and cannot be modified further."
# limit -> (probe, the answer one over the limit)
LIMITS = {
    "recipients-per-rest-send": (_recipients, (*SEND_ERROR, f"params to's size can't exceed limit {RECIPIENTS}")),
    "groups-per-rest-send": (_group_targets, (*SEND_ERROR, f"params to's size can't exceed limit {GROUP_TARGETS}")),
    "rooms-per-rest-send": (_room_targets, (*SEND_ERROR, f"params to's size can't exceed limit {ROOM_TARGETS}")),
    "users-per-directed-send": (_directed_users,
                                (*SEND_ERROR, f"params users's size can't exceed limit {DIRECTED_USERS}")),
    "custom-exts": (_custom_exts, (*SEND_ERROR, f"param customExts must be a map of at most {CUSTOM_EXTS} strings")),
    "roaming-pull-number": (_pull, (400, "illegal_argument", f"pull_number must be between 1 and {PULL}")),
    "roaming-delete-ids": (_delete_ids, (400, "param exception", "delete msg list limit can not greater than 50")),
    "edits-per-message": (_edits, (403, None, EDIT_LIMIT)),
}
CASES = [pytest.param(limit, offset, id=f"{limit}-{label}")
         for limit in LIMITS for offset, label in ((-1, "under"), (0, "at"), (1, "over"))]


class Ctx:
    def __init__(self, alice, bob, admin, make_group, make_room):
        self.alice, self.bob, self.admin, self.make_group, self.make_room = alice, bob, admin, make_group, make_room


@pytest.mark.parametrize("limit, offset", CASES)
def test_chat_limit(alice, make_user, make_group, make_room, admin, limit, offset):
    probe, refused = LIMITS[limit]
    resp = probe(offset, Ctx(alice, make_user("bob").name, admin, make_group, make_room))
    if offset <= 0:
        assert resp.status_code == 200, resp.text
        return
    body = resp.json()
    got = (resp.status_code, body.get("error"), body.get("error_description"))
    assert all(want is None or want == have for want, have in zip(refused, got)), resp.text
