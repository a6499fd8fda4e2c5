"""Do-not-disturb REST bounds (docs/protocol/rest.md §12.4): remind-type cursors that are not one, the push
language's length and type, and the push.silent_mode record each change leaves in the event log."""
import pytest

pytestmark = [pytest.mark.push, pytest.mark.owner("xinbo")]

MAX_LANGUAGE = 32  # rule push-language
BAD_LANGUAGE = (400, "illegal_argument",
                f"translationLanguage must be a language code of at most {MAX_LANGUAGE} characters")


def error_of(resp) -> tuple[int, str, str]:
    return resp.status_code, resp.json()["error"], resp.json()["error_description"]


@pytest.mark.rule("silent-mode-fields")
@pytest.mark.parametrize("cursor", ["user", "chatgroup", "room:x", "x"])
def test_a_remind_type_cursor_that_is_not_scope_colon_target_is_400(cursor, make_user, admin):
    bob = make_user("bob")
    admin.must_set_silent_mode(bob.name, "someone", type="NONE")
    assert error_of(admin.remind_types(bob.name, cursor=cursor)) == (
        400, "illegal_argument", f"cursor {cursor!r} is not a cursor of this list")


def _put_language(admin, user: str, body):
    return admin.request("PUT", f"/users/{user}/notification/language", json_body=body)


@pytest.mark.rule("push-language")
@pytest.mark.parametrize("language", ["", "de", "x" * (MAX_LANGUAGE - 1), "x" * MAX_LANGUAGE],
                         ids=["empty", "de", "one-under", "at"])
def test_a_language_of_at_most_32_characters_is_kept(language, make_user, admin):
    bob = make_user("bob")
    assert admin.must_set_push_language(bob.name, language) == {"language": language}
    assert admin.must_push_language(bob.name) == {"language": language}


@pytest.mark.rule("push-language")
@pytest.mark.parametrize("body", [{"translationLanguage": "x" * (MAX_LANGUAGE + 1)}, {"translationLanguage": 7},
                                  {"translationLanguage": True}, {"translationLanguage": None},
                                  {"translationLanguage": ["de"]}, {"translationLanguage": {"code": "de"}}, {},
                                  ["de"]],
                         ids=["one-over", "number", "bool", "null", "list", "object", "absent", "not-an-object"])
def test_any_other_language_is_400_and_changes_nothing(body, make_user, admin):
    bob = make_user("bob")
    admin.must_set_push_language(bob.name, "de")
    assert error_of(_put_language(admin, bob.name, body)) == BAD_LANGUAGE
    assert admin.must_push_language(bob.name) == {"language": "de"}


@pytest.mark.rule("silent-mode-fields")
def test_each_change_is_recorded_with_its_scope_and_target(make_user, admin, storage):
    """push.silent_mode {user, scope, target, <the setting after the change>}: no target for the user-wide one."""
    bob = make_user("bob")
    admin.must_set_silent_mode(bob.name, type="NONE")
    admin.must_set_silent_mode(bob.name, "Someone", type="AT")
    admin.must_set_silent_mode(bob.name, group="4242", type="ALL")
    found = [{k: v for k, v in e.items() if k not in ("ts", "kind")}
             for e in storage.events("push.silent_mode", user=bob.name)]
    assert found == [{"user": bob.name, "scope": "all", "target": None, "type": "NONE"},
                     {"user": bob.name, "scope": "user", "target": "someone", "type": "AT"},
                     {"user": bob.name, "scope": "chatgroup", "target": "4242", "type": "ALL"}]
