"""Sensitive words (docs/protocol/msync.md §6.1): a text containing a word of the app's `sensitive_words` list
(case-insensitive) is refused with PERMISSION_DENIED "sensitive words" and never delivered."""
import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue"),
              pytest.mark.app_config(sensitive_words=["forbidden", "坏词"])]


@pytest.mark.parametrize("text", ["a forbidden thing", "FORBIDDEN", "这是坏词吗"],
                         ids=["inside", "upper", "unicode"])
@pytest.mark.rule("sensitive-words-substring")
def test_text_with_a_sensitive_word_is_refused(alice, bob, text):
    """A text containing a listed word, in any case, is refused and never delivered."""
    ack = alice.send_text(bob.name, text)
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.SENSITIVE_WORDS)
    clean = alice.must_send_text(bob.name, "a perfectly fine thing")
    assert bob.wait_for(match.sender(alice.name)).id == clean.server_id


@pytest.mark.rule("sensitive-words-substring")
def test_words_outside_the_text_are_not_checked(alice, bob):
    """The list applies to message text, not to commands or ext."""
    sent = alice.must_send_command(bob.name, "forbidden_action", ext={"note": "forbidden"})
    bob.wait_for(match.of(sent))
