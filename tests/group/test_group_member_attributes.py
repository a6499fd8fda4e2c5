"""Group member attributes (docs/protocol/rest.md §5.2): who writes them, what members read, the
GROUP_MEMBER_METADATA_UPDATE notice."""
import json

import pytest

from im_client import match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


def attributes_update(group_id: str, username: str) -> match.Match:
    """MUC GROUP_MEMBER_METADATA_UPDATE about `username`'s attributes."""
    return match.notice("MUC", lambda body: body.operation == body.GROUP_MEMBER_METADATA_UPDATE
                        and body.mucId.name == group_id
                        and json.loads(body.eventInfo.ext or "{}").get("username") == username,
                        f"GROUP_MEMBER_METADATA_UPDATE {group_id} about {username}")


@pytest.mark.rule("group-member-attributes-writers", "rest-resource-skips-caller-device")
def test_member_sets_its_attributes_and_the_group_hears(alice, login, make_user, make_group, rest_as, transport):
    """A member writes its own attributes; the others and its other device get the update, the writing device not."""
    bob = make_user("bob")
    phone, laptop = bob.login(transport, resource="py_phone"), bob.login(transport, resource="py_laptop")
    group = make_group(alice, members=[bob])
    written = rest_as(phone).must_set_member_attributes(group.id, bob.name, {"nickname": "bobby", "seat": "3"})
    assert written == {"nickname": "bobby", "seat": "3"}
    for device in (alice, laptop):
        notice = device.wait_for(attributes_update(group.id, bob.name))
        assert json.loads(notice.payload.eventInfo.ext) == {"username": bob.name,
                                                            "properties": {"nickname": "bobby", "seat": "3"}}
        assert getattr(notice.payload, "from").name == bob.name
    phone.ping()
    assert not phone.received(attributes_update(group.id, bob.name))
    assert rest_as(alice).must_member_attributes(group.id, [bob.name]) == {bob.name: {"nickname": "bobby", "seat": "3"}}


@pytest.mark.rule("group-member-attributes-writers")
def test_a_plain_member_cannot_write_another_members_attributes(alice, make_user, make_group, rest_as):
    """Bob may not touch carol's attributes; the owner may; carol's stay as the owner left them."""
    bob, carol = make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    resp = rest_as(bob).set_member_attributes(group.id, carol.name, {"nickname": "not yours"})
    assert (resp.status_code, resp.json()["error"]) == (403, "forbidden_op")
    rest_as(alice).must_set_member_attributes(group.id, carol.name, {"nickname": "set by the owner"})
    assert rest_as(carol).must_member_attributes(group.id, [carol.name]) == {carol.name: {"nickname": "set by the owner"}}


@pytest.mark.rule("group-member-attributes-writers")
def test_reading_chosen_keys_deleting_one_and_leaving(alice, login, make_user, make_group, rest_as, admin):
    """`properties` picks keys, "" deletes one, a member who leaves loses its attributes."""
    bob, carol = make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    as_bob = rest_as(bob)
    as_bob.must_set_member_attributes(group.id, bob.name, {"a": "1", "b": "2", "c": "3"})
    assert as_bob.must_member_attributes(group.id, [bob.name, carol.name], ["a", "c"]) == {
        bob.name: {"a": "1", "c": "3"}, carol.name: {}}
    as_bob.must_set_member_attributes(group.id, bob.name, {"b": ""})
    assert as_bob.must_member_attributes(group.id, [bob.name]) == {bob.name: {"a": "1", "c": "3"}}
    as_bob.must_quit_group(group.id)
    admin.must_add_group_member(group.id, bob.name)
    assert rest_as(carol).must_member_attributes(group.id, [bob.name]) == {bob.name: {}}


@pytest.mark.rule("group-member-attributes-writers", "group-member-attributes-limits")
def test_member_attribute_refusals(alice, make_user, make_group, rest_as):
    """Non-members are neither written nor read by; oversize keys and values are refused."""
    bob, stranger = make_user("bob"), make_user("stranger")
    group = make_group(alice, members=[bob])
    as_bob = rest_as(bob)
    assert as_bob.set_member_attributes(group.id, stranger.name, {"k": "v"}).status_code == 403
    assert rest_as(stranger).member_attributes(group.id, [bob.name]).status_code == 403
    assert as_bob.set_member_attributes(group.id, bob.name, {"k" * 17: "v"}).status_code == 400
    assert as_bob.set_member_attributes(group.id, bob.name, {"k": "v" * 513}).status_code == 400
    assert as_bob.set_member_attributes(group.id, bob.name, {}).status_code == 400
    too_many = [f"user{n}" for n in range(11)]
    assert as_bob.member_attributes(group.id, too_many).status_code == 400
    assert as_bob.must_member_attributes(group.id, [bob.name]) == {bob.name: {}}
