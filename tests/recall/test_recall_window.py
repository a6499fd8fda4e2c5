"""The recall window in its unit, on every recall path: `recall_time_limit` is seconds. A message
a fraction of a second old is inside a 1 s window; one 1.3 s old is outside it."""
import time

import pytest

from im_client import ErrorCode, Reason

pytestmark = [pytest.mark.recall, pytest.mark.owner("caixiangyue")]

YOUNG = 0.3  # seconds: well inside a 1 s window, far outside a 1 ms one (a limit read as ms)
OLD = 1.3  # seconds: past the same 1 s window


def _one_to_one_msync(alice, bob, make_group, admin):
    sent = alice.must_send_text(bob.name, "take me back")
    return sent, lambda: alice.recall(sent)


def _group_msync(alice, bob, make_group, admin):
    group = make_group(alice, members=[bob])
    sent = alice.must_send_group_text(group.id, "take me back")
    return sent, lambda: alice.recall(sent)


def _one_to_one_rest(alice, bob, make_group, admin):
    sent = alice.must_send_text(bob.name, "take me back")
    return sent, lambda: admin.recall_message(sent.server_id, to=bob.name)


PATHS = {"chat-msync": _one_to_one_msync, "group-msync": _group_msync, "chat-rest": _one_to_one_rest}


def _accepted(answer) -> bool:
    if hasattr(answer, "status_code"):  # a REST answer
        return answer.ok
    return answer.code == ErrorCode.OK


def _refused_as_too_late(answer) -> bool:
    if hasattr(answer, "status_code"):
        return (answer.status_code, answer.json().get("error_description")) == (403, "exceed recall time limit")
    return (answer.code, answer.reason) == (ErrorCode.FAIL, Reason.RECALL_TIME_LIMIT)


@pytest.mark.app_config(recall_time_limit=1)
@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.rule("recall-window-boundary")
def test_recall_inside_the_window_is_accepted(alice, make_user, make_group, admin, path):
    _sent, recall = PATHS[path](alice, make_user("bob"), make_group, admin)
    time.sleep(YOUNG)  # window: the message must be measurably old, still inside the limit
    answer = recall()
    assert _accepted(answer), answer


@pytest.mark.app_config(recall_time_limit=1)
@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.rule("recall-window-boundary")
def test_recall_past_the_window_is_refused(alice, make_user, make_group, admin, path):
    _sent, recall = PATHS[path](alice, make_user("bob"), make_group, admin)
    time.sleep(OLD)  # window: the message must be older than the 1 s limit
    answer = recall()
    assert _refused_as_too_late(answer), answer
