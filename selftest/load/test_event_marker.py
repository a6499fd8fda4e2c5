"""The ledger waits for its end-of-cell marker in a jsonl event log that another writer appends to."""
import json
import threading

from im_e2e.load.event_marker import wait_for_marker


def _line(**event) -> str:
    return json.dumps({"ts": 1, **event}) + "\n"


def test_the_marker_is_found_once_a_late_writer_appends_it(tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_text(_line(kind="message.upstream", id=1) + _line(kind="message.evicted", id=1, owner="u"))
    appended = threading.Event()

    def late_writer():
        appended.wait(5)
        with log.open("a") as f:
            f.write(_line(kind="message.evicted", id=2, owner="u"))
            f.write(_line(kind="message.upstream", id=99)[:10])   # half a line first, as a flush can
            f.flush()
            f.write(_line(kind="message.upstream", id=99)[10:])

    writer = threading.Thread(target=late_writer)
    writer.start()
    appended.set()
    wait = wait_for_marker(f"jsonl:{log}", "org#app", ("99", 0), timeout=5)
    writer.join()
    assert wait.seen_after_s is not None and wait.carried


def test_an_upstream_event_of_another_message_is_not_the_marker(tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_text(_line(kind="message.upstream", id=98) + _line(kind="message.downstream", id=99))
    wait = wait_for_marker(f"jsonl:{log}", "org#app", ("99", 0), timeout=0.3)
    assert (wait.seen_after_s, wait.carried) == (None, True)


def test_a_log_without_upstream_events_is_not_waited_for(tmp_path):
    """A cluster's event mapping may not log message.upstream: there is no marker to wait for."""
    log = tmp_path / "events.jsonl"
    log.write_text(_line(kind="message.evicted", id=5, owner="u"))
    wait = wait_for_marker(f"jsonl:{log}", "org#app", ("99", 0), timeout=30)
    assert (wait.seen_after_s, wait.carried) == (None, False)


def test_a_missing_log_carries_nothing(tmp_path):
    wait = wait_for_marker(f"jsonl:{tmp_path / 'none.jsonl'}", "org#app", ("1", 0), timeout=0.3)
    assert (wait.seen_after_s, wait.carried) == (None, False)
