"""Coverage-guided fuzzing of the sandbox's msync decoder and connection state machine (atheris).

    python -m selftest.fuzz.atheris_msync -atheris_runs=10000            # TCP, from the project root
    IM_E2E_FUZZ_TRANSPORT=ws python -m selftest.fuzz.atheris_msync -atheris_runs=10000

The sandbox runs in this process (instrumented, so coverage steers the mutations) and every input
travels over a real socket: the first byte picks an unprovisioned or a provisioned connection, the
rest is one MSync frame. Each frame is followed by UNREAD, and every reply up to its answer must
decode with a documented status (never `internal server error`). At exit: a healthy pair still
chats, the messages stored for an offline user before the run all reach it, no ERROR was logged;
the last line is `atheris-msync OK ...` (exit 0) or the failure (exit 1).
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent

with atheris.instrument_imports(include=["im_sandbox", "im_wire"]):
    import im_sandbox  # noqa: F401  (instrumented before anything else imports it)
    from im_wire import framing  # noqa: F401

from selftest.fuzz.fuzz_links import FuzzLink, Healthy, delivered_to, store_for_offline  # noqa: E402
from selftest.sandbox.sandbox_rest import Rest  # noqa: E402
from selftest.sandbox.sandbox_wire import start_sandbox  # noqa: E402

KIND = os.environ.get("IM_E2E_FUZZ_TRANSPORT", "tcp")
GOLDEN = HERE.parent / "vectors" / "golden.json"


def seed_corpus() -> str:
    """The Web SDK's own frames (golden.json), each for both connections: a start inside the grammar."""
    corpus = Path(tempfile.mkdtemp(prefix="atheris-msync-seeds-"))
    for name, vector in json.loads(GOLDEN.read_text()).items():
        frame = bytes.fromhex(vector["hex"])
        for link in (0, 1):
            (corpus / f"{name}-{link}").write_bytes(bytes([link]) + frame)
    return str(corpus)


class ErrorRecords(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def main() -> None:
    errors = ErrorRecords()
    logging.getLogger("im_sandbox").addHandler(errors)
    handle = start_sandbox(tempfile.mkdtemp(prefix="atheris-msync-"), log_level="INFO")
    info = handle.info
    api = Rest(info)
    keeper, sender, stored = store_for_offline(info, api, 12)
    healthy = Healthy(api, info, KIND)
    links = [FuzzLink(KIND, info, None), FuzzLink(KIND, info, api.create_user())]
    count = {"n": 0}

    def one_input(data: bytes) -> None:
        if not data:
            return
        links[data[0] & 1].send_and_probe(data[1:])
        count["n"] += 1
        if count["n"] % 500 == 0:
            healthy.round_trip()

    def finish() -> None:
        try:
            for link in links:
                link.close()
            healthy.round_trip()
            got = delivered_to(info, keeper, sender)
            assert got == stored, f"stored messages lost: {sorted(set(stored) - set(got))}"
            assert not errors.messages, errors.messages[:3]
        except BaseException as exc:  # report and fail the process
            print(f"atheris-msync FAILED: {exc!r}", flush=True)
            os._exit(1)
        finally:
            healthy.close()
            handle.stop()
        print(f"atheris-msync OK {KIND}: {count['n']} frames, {healthy.rounds} healthy round trips", flush=True)

    atexit.register(finish)
    argv = list(sys.argv)
    if not any(not arg.startswith("-") for arg in argv[1:]):  # no corpus directory given
        argv.append(seed_corpus())
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
