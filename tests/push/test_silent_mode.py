"""Do-not-disturb settings (docs/protocol/rest.md §12.4): per user and per conversation, the fields a PUT
keeps, the batch read, the remind-type list, the push language and the notice to the other devices."""
import pytest

from im_client import match

pytestmark = [pytest.mark.push, pytest.mark.owner("xinbo")]


@pytest.mark.rule("silent-mode-fields")
def test_user_wide_setting_keeps_the_fields_a_put_does_not_name(alice, admin):
    """type, then an interval, then a duration: each PUT adds its field; DEFAULT and 0 clear theirs."""
    as_alice = admin.with_token(alice.user.token())
    assert as_alice.must_set_silent_mode(alice.name, type="NONE") == {"type": "NONE"}
    as_alice.must_set_silent_mode(alice.name, ignoreInterval="21:30-8:00")
    both = as_alice.must_set_silent_mode(alice.name, ignoreDuration=60_000)
    assert (both["type"], both["ignoreInterval"]) == ("NONE", "21:30-8:00") and both["ignoreDuration"] > 0
    as_alice.must_set_silent_mode(alice.name, type="DEFAULT", ignoreDuration=0)
    assert as_alice.must_silent_mode(alice.name) == {"ignoreInterval": "21:30-8:00"}


@pytest.mark.rule("silent-mode-fields")
def test_conversation_settings_are_read_one_by_one_and_in_a_batch(alice, bob, admin, make_user):
    """A setting for bob and one for a group; the batch read shows both and an empty one for carol."""
    carol = make_user("carol")
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_set_silent_mode(alice.name, bob.name, type="AT")
    as_alice.must_set_silent_mode(alice.name, group="998877", type="NONE")
    assert as_alice.must_silent_mode(alice.name, bob.name) == {"type": "AT"}
    batch = as_alice.must_silent_modes(alice.name, users=[bob.name, carol.name], groups=["998877"])
    assert batch == {"user": {bob.name: {"type": "AT"}, carol.name: {}}, "group": {"998877": {"type": "NONE"}}}
    assert as_alice.must_silent_mode(alice.name) == {}  # the user-wide setting is apart


@pytest.mark.rule("silent-mode-fields")
def test_remind_types_page_through_the_conversations_that_have_one(alice, make_user, admin):
    peers = sorted(make_user.many(3, "peer"), key=lambda u: u.name)
    for peer in peers:
        admin.must_set_silent_mode(alice.name, peer.name, type="NONE")
    admin.must_set_silent_mode(alice.name, group="55", ignoreDuration=1000)  # no remind type: not listed
    first = admin.must_remind_types(alice.name, limit=2)
    assert first["data"] == [{"user": peers[0].name, "value": "NONE"}, {"user": peers[1].name, "value": "NONE"}]
    rest = admin.must_remind_types(alice.name, limit=2, cursor=first["cursor"])
    assert (rest["data"], rest["cursor"]) == ([{"user": peers[2].name, "value": "NONE"}], "")


def test_push_language_is_kept_per_user(alice, bob, admin):
    admin.must_set_push_language(alice.name, "de")
    assert (admin.must_push_language(alice.name), admin.must_push_language(bob.name)) == ({"language": "de"},
                                                                                          {"language": ""})


@pytest.mark.rule("silent-mode-fields")
def test_other_devices_hear_each_change(alice, bob, login, admin):
    """A user-wide change carries ignoreInterval (the SDK's sign of it); a conversation change names the user."""
    phone = login(alice.user)
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_set_silent_mode(alice.name, type="NONE", resource=alice.resource)
    user_wide = phone.wait_for(match.silent_mode_notice(lambda v: "user" not in v and "group" not in v)).payload
    assert user_wide["values"][0]["data"] == {"type": "NONE", "ignoreInterval": ""}
    as_alice.must_set_silent_mode(alice.name, bob.name, type="DEFAULT", resource=phone.resource)
    removed = alice.wait_for(match.silent_mode_notice(lambda v: v.get("user") == bob.name)).payload["values"][0]
    assert (removed["data"], removed["operator_resource"]) == ({}, phone.resource)
    # one system queue, in order: had the desk been told of its own change it would have come first
    assert not alice.received(match.silent_mode_notice(lambda v: "user" not in v))


@pytest.mark.rule("silent-mode-fields")
def test_bad_settings_are_400(alice, bob, admin):
    """An unknown type, a negative duration, an interval that is not one or one for a conversation: 400."""
    for fields, peer in (({"type": "SOME"}, None), ({"ignoreDuration": -1}, None),
                         ({"ignoreInterval": "25:00-8:00"}, None), ({"ignoreInterval": "1:00-2:00"}, bob.name),
                         ({}, None)):
        resp = admin.set_silent_mode(alice.name, peer, **fields)
        assert (resp.status_code, resp.json()["error"]) == (400, "illegal_argument"), fields
    assert admin.must_silent_mode(alice.name) == {}


def test_another_users_token_changes_nothing(alice, bob, admin):
    """bob's token can neither read nor change alice's settings: 401."""
    as_bob = admin.with_token(bob.user.token())
    for resp in (as_bob.set_silent_mode(alice.name, type="NONE"), as_bob.silent_mode(alice.name),
                 as_bob.set_push_language(alice.name, "de"), as_bob.silent_modes(alice.name, users=[bob.name])):
        assert (resp.status_code, resp.json()["error"]) == (401, "auth_bad_access_token")
    assert admin.must_silent_mode(alice.name) == {} and admin.must_push_language(alice.name) == {"language": ""}
