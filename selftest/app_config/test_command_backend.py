"""The command backend's value formats, the target lock and the checks on marker settings."""
import fcntl
import os
import threading

import pytest

from fixtures.app_config import check_settings
from fixtures.app_config.backends import UNSET, BackendError, erlang_term, parse_value
from fixtures.app_config.journal import Journal
from fixtures.app_config.lock import TargetLock
from im_client.waiting import wait_until

pytestmark = pytest.mark.selftest


@pytest.mark.parametrize("output, value", [
    ("{ok,true}\nok\n", True),                       # rp(application:get_env(...)) in a node shell
    ("{ok,120}", 120),
    ("{ok,[<<\"bad\">>,<<\"worse\">>]}\nok", ["bad", "worse"]),
    ("undefined\nok", UNSET),
    ("\n42\n", 42),
    ('"plain json"', "plain json"),
    ("[1, 2]", [1, 2]),
    ("Eshell V13\n{ok,false}.", False),
])
def test_get_output_is_read_as_json_or_erlang(output, value):
    assert parse_value(output) == value


def test_get_output_without_a_value_is_an_error():
    with pytest.raises(BackendError, match="printed no value"):
        parse_value("** exception error: undefined function tool:rpc/2")


@pytest.mark.parametrize("value, term", [
    (True, "true"), (False, "false"), (7, "7"), ("a\"b", '<<"a\\"b">>'), (["x", "y"], '[<<"x">>,<<"y">>]')])
def test_values_are_written_as_erlang_terms(value, term):
    assert erlang_term(value) == term


def test_unknown_setting_fails_with_the_known_ones():
    with pytest.raises(pytest.fail.Exception) as failed:
        check_settings({"recall_time_limt": 2})
    text = str(failed.value)
    assert "unknown app setting(s) recall_time_limt" in text and "recall_time_limit" in text
    assert "src/im_wire/settings.py SETTINGS" in text


def test_wrong_type_fails():
    with pytest.raises(pytest.fail.Exception, match="recall_time_limit must be int"):
        check_settings({"recall_time_limit": "2"})


def test_readers_share_the_lock_and_a_writer_excludes_them(tmp_path):
    first, second = TargetLock(tmp_path, "t", timeout=0.3), TargetLock(tmp_path, "t", timeout=0.3)
    first.acquire(exclusive=False)
    second.acquire(exclusive=False)  # readers together
    second.release()
    writer = TargetLock(tmp_path, "t", timeout=0.3)
    with pytest.raises(TimeoutError, match="app-config lock"):
        writer.acquire(exclusive=True)  # a reader is in
    first.release()
    writer.acquire(exclusive=True)
    reader = TargetLock(tmp_path, "t", timeout=0.3)
    with pytest.raises(TimeoutError):
        reader.acquire(exclusive=False)  # the writer is in
    writer.release()
    reader.acquire(exclusive=False)
    reader.release()


def test_a_waiting_writer_is_not_starved_by_new_readers(tmp_path):
    """Once a writer waits, a new reader queues behind it (the turnstile)."""
    reader = TargetLock(tmp_path, "t")
    reader.acquire(exclusive=False)
    writer = TargetLock(tmp_path, "t", timeout=10)
    got_it = threading.Event()

    def write() -> None:
        writer.acquire(exclusive=True)
        got_it.set()

    thread = threading.Thread(target=write)
    thread.start()
    late = TargetLock(tmp_path, "t", timeout=0.5)
    wait_until(lambda: _turnstile_taken(tmp_path), "the writer to hold the turnstile", timeout=5)
    with pytest.raises(TimeoutError):
        late.acquire(exclusive=False)
    reader.release()
    assert got_it.wait(5)
    writer.release()
    thread.join()


def _turnstile_taken(directory) -> bool:
    fd = os.open(TargetLock(directory, "t").turn_path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_journal_lists_only_journals_of_dead_processes(tmp_path):
    mine = Journal(tmp_path, "staging-org#app")
    mine.record({"recall_time_limit": 120})
    assert mine.leftovers() == []  # this process is alive
    mine.clear()
    assert not list(tmp_path.glob("*.json"))
