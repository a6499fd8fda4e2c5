"""ignoreInterval "H:M-H:M" at its edges (rule silent-interval-edges): its start minute is silent, its end
minute is not, a start after its end runs over midnight, a start equal to its end is the whole day. The
clock cannot be set, so every interval is built from the current UTC minute, and a cell whose minute
changed while it ran is run again."""
from datetime import datetime, timezone

import pytest

pytestmark = [pytest.mark.push, pytest.mark.owner("xinbo"), pytest.mark.rule("push-offline-record"),
              pytest.mark.rule("silent-interval-edges")]

DAY = 24 * 60
ATTEMPTS = 3  # a cell takes well under a minute, so at most one attempt can straddle a minute change
SILENCED, PUSHED = (False, "user_interval"), (True, "sent")

# name: (start, end) in minutes from now, and what a message sent now gets
CELLS = {
    "starts now": ((0, 1), SILENCED),
    "ends now": ((-1, 0), PUSHED),
    "from the minute before to the minute after": ((-1, 1), SILENCED),
    # start after end: over midnight (except at 0:00 and 23:59, where it is the same set of minutes)
    "over midnight, all day but the minute before now": ((0, -1), SILENCED),
    "over midnight, all day but now": ((1, 0), PUSHED),
    "the same start and end, a while from now": ((7, 7), SILENCED),
    # one-minute intervals elsewhere, their ends in other hours and at other minutes
    "the next minute": ((1, 2), PUSHED),
    "the minute before the last": ((-2, -1), PUSHED),
    "a minute an hour ago": ((-62, -61), PUSHED),
    "a minute two hours ago": ((-123, -122), PUSHED),
    "a minute three hours ago": ((-184, -183), PUSHED),
    "a minute in two hours": ((121, 122), PUSHED),
    "a minute in three hours": ((182, 183), PUSHED),
    "a minute in four hours": ((243, 244), PUSHED),
}


def utc_minute() -> int:
    now = datetime.now(timezone.utc)
    return now.hour * 60 + now.minute


def clock(minute: int) -> str:
    """A minute of the day (any integer, taken modulo a day) as H:MM."""
    hours, minutes = divmod(minute % DAY, 60)
    return f"{hours}:{minutes:02d}"


def decided(admin, storage, user: str, start: int, end: int) -> tuple[str, tuple[bool, str]]:
    """Set the interval (start, end minutes from now), send a message; the interval and the push decision."""
    for _ in range(ATTEMPTS):
        now = utc_minute()
        interval = f"{clock(now + start)}-{clock(now + end)}"
        admin.must_set_silent_mode(user, ignoreInterval=interval)
        (msg_id,) = admin.must_send_text_to_users(user, interval).values()
        record = storage.wait_for_event(kind="push.offline", id=int(msg_id))
        if utc_minute() == now:
            return interval, (record["pushed"], record["why"])
    raise AssertionError(f"the UTC minute changed during each of {ATTEMPTS} attempts")


def test_an_interval_silences_its_start_minute_up_to_its_end_minute(make_user, admin, storage):
    bob = make_user("bob")
    found, expected = {}, {}
    for name, ((start, end), outcome) in CELLS.items():
        interval, decision = decided(admin, storage, bob.name, start, end)
        found[f"{name} ({interval})"], expected[f"{name} ({interval})"] = decision, outcome
    assert found == expected
