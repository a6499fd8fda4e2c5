"""Generated hostile frames, on both transports, against a running sandbox: every reply carries a
documented status, no handler crashes, a healthy session keeps chatting during and after the run,
and messages stored for an offline user before the run all reach it afterwards."""
from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selftest.fuzz.fuzz_settings import FUZZ_EXAMPLES
from selftest.fuzz.fuzz_links import FuzzLink, Healthy, delivered_to, store_for_offline
from selftest.sandbox.sandbox_rest import Rest
from selftest.fuzz.wire_strategies import hostile_frames

pytestmark = pytest.mark.selftest

STORED = 12
HEALTH_EVERY = 100  # examples between two healthy round trips


@pytest.mark.parametrize("kind", ["tcp", "ws"])
def test_hostile_frames_get_documented_errors_and_disturb_no_one(kind, fuzz_sandbox, caplog):
    info = fuzz_sandbox
    api = Rest(info)
    caplog.set_level(logging.ERROR, logger="im_sandbox")
    keeper, sender_name, stored = store_for_offline(info, api, STORED)
    fuzz_user = api.create_user()

    healthy = Healthy(api, info, kind)
    anonymous = FuzzLink(kind, info, None)  # frames before PROVISION
    provisioned = FuzzLink(kind, info, fuzz_user)
    names = [keeper, sender_name, fuzz_user, healthy.sender.user, healthy.receiver.user]
    count = {"n": 0}

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(frame=hostile_frames(info["appkey"], names, stored), before_provision=st.booleans())
    def run(frame, before_provision):
        (anonymous if before_provision else provisioned).send_and_probe(frame)
        count["n"] += 1
        if count["n"] % HEALTH_EVERY == 0:
            healthy.round_trip()

    try:
        run()
        healthy.round_trip()
        assert count["n"] >= FUZZ_EXAMPLES
    finally:
        anonymous.close()
        provisioned.close()
        healthy.close()

    assert delivered_to(info, keeper, sender_name) == stored
    errors = [r.getMessage() for r in caplog.records if r.name.startswith("im_sandbox") and r.levelno >= logging.ERROR]
    assert not errors, errors[:3]
    seen = anonymous.statuses + provisioned.statuses
    print(f"\n{kind}: {count['n']} frames, {anonymous.reconnects + provisioned.reconnects} reconnects, "
          f"{healthy.rounds} healthy round trips; statuses: {dict(seen.most_common(12))}")

