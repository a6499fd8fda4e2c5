"""Messages/s per core through the sandbox: im_client against the official Easemob Web SDK.

    python benchmarks/interop_throughput.py                     # 2000 messages, 100 in flight
    python benchmarks/interop_throughput.py --messages 5000 --window 200 --json

Same flow for both generators: one sender and one receiver over WebSocket, both in the
generator's process; N texts sender -> receiver with `window` sends awaiting their ack, timed from
the first send until the receiver has all N. The sandbox runs in a process of its own. One
measured run per generator, after a short warm-up (`--warmup`, not measured).

"Per core" = messages per CPU-second of the generator process (user + system, all its threads):
the Python process for im_client, the Node process for the SDK (inside which the whole flow runs,
so the Python side of the driver is idle). The SDK's console logging is silenced unless
`--sdk-log` is given. Needs Node >= 20 with npm; the driver's packages install on first use
(`python -m im_e2e.interop install`).
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time

import psutil

from im_client import Client, RestClient, Target, match
from im_client import messages as m
from im_e2e.interop.install import ensure_driver
from im_e2e.interop.sdk_driver import WebSdk
from im_e2e.sandbox_process import SandboxProcess

PASSWORD = "bench-pw"


def cpu_seconds(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


def run_im_client(target: Target, tokens: dict[str, str], sender: str, receiver: str, count: int,
                  window: int, transport: str) -> dict:
    tx = Client(target, sender, token=tokens[sender], transport=transport)
    rx = Client(target, receiver, token=tokens[receiver], transport=transport)
    tx.open()
    rx.open()
    rx.wait_offline_sync()
    try:
        me = psutil.Process()
        cpu0, started = cpu_seconds(me), time.perf_counter()
        slots = threading.Semaphore(window)
        pending = []
        for n in range(count):
            slots.acquire()
            meta = m.chat_meta(tx.appkey, sender, receiver, m.Body.CHAT, m.text_content(f"bench {n}"))
            fut = tx.send_meta_async(meta)
            fut.add_done_callback(lambda _f: slots.release())
            pending.append(fut)
        if not all(f.result(120).ok for f in pending):
            raise RuntimeError("a send was refused")
        rx.wait_for_all(match.sender(sender), count, timeout=300)
        seconds = time.perf_counter() - started
        return {"count": count, "seconds": seconds, "cpu_seconds": cpu_seconds(me) - cpu0}
    finally:
        tx.close()
        rx.close()


def run_sdk(sdk: WebSdk, tokens: dict[str, str], sender: str, receiver: str, count: int, window: int) -> dict:
    tx = sdk.connection(sender, quiet=True)
    rx = sdk.connection(receiver, quiet=True)
    tx.open(token=tokens[sender])
    rx.open(token=tokens[receiver])
    try:
        result = sdk.command("bench", timeout=600, sender=tx.conn_id, receiver=rx.conn_id, to=receiver,
                             count=count, window=window)
        return {"count": result["count"], "seconds": result["seconds"], "cpu_seconds": result["cpuSeconds"]}
    finally:
        tx.close()
        rx.close()


def measured(run, sandbox: psutil.Process) -> dict:
    """Run one generator; add the sandbox's CPU time over the same run and the rates."""
    cpu0 = cpu_seconds(sandbox)
    result = run()
    result["sandbox_cpu_seconds"] = cpu_seconds(sandbox) - cpu0
    result["messages_per_s"] = result["count"] / result["seconds"]
    result["messages_per_cpu_s"] = result["count"] / result["cpu_seconds"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="texts per generator (default 2000)")
    parser.add_argument("--window", type=int, default=100, help="sends awaiting their ack at once (default 100)")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured texts before each run (default 200)")
    parser.add_argument("--im-transport", choices=("ws", "tcp"), default="ws",
                        help="im_client's transport (the SDK always uses WebSocket; default ws)")
    parser.add_argument("--sdk-log", action="store_true", help="keep the SDK's console logging on (to stderr)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)

    problem = ensure_driver()
    if problem:
        print(f"cannot run the Web SDK: {problem}", file=sys.stderr)
        return 2
    with SandboxProcess("--log-level", "WARNING") as sandbox:
        target = Target.from_info(sandbox.info)
        admin = RestClient(target)
        admin.token = admin.must_app_token().access_token
        names = [f"bench-{role}-{time.time_ns()}" for role in ("py-tx", "py-rx", "sdk-tx", "sdk-rx")]
        admin.must_register_users([{"username": n, "password": PASSWORD} for n in names])
        tokens = {n: admin.must_user_token(n, PASSWORD).access_token for n in names}
        server = psutil.Process(sandbox.pid)

        sdk = WebSdk(target, log_path=None).start()
        try:
            if not args.sdk_log:
                sdk.command("logLevel", level="silent")
            if args.warmup:
                run_im_client(target, tokens, names[0], names[1], args.warmup, args.window, args.im_transport)
                run_sdk(sdk, tokens, names[2], names[3], args.warmup, args.window)
            im_client = measured(lambda: run_im_client(target, tokens, names[0], names[1], args.messages,
                                                       args.window, args.im_transport), server)
            websdk = measured(lambda: run_sdk(sdk, tokens, names[2], names[3], args.messages, args.window), server)
        finally:
            sdk.close()

    ratio = im_client["messages_per_cpu_s"] / websdk["messages_per_cpu_s"]
    if args.json:
        print(json.dumps({"messages": args.messages, "window": args.window, "im_transport": args.im_transport,
                          "im_client": im_client, "websdk": websdk, "per_core_ratio_im_client_to_sdk": ratio}))
        return 0
    print(f"{args.messages} texts, {args.window} in flight, sender and receiver in the generator's process "
          f"(im_client over {args.im_transport}, SDK {sdk.info.get('sdk')} on Node {sdk.info.get('node')} over ws)")
    print(f"{'generator':<12}{'wall s':>9}{'msg/s':>9}{'gen CPU s':>11}{'msg/CPU-s':>11}{'sandbox CPU s':>15}")
    for label, r in (("im_client", im_client), ("Web SDK", websdk)):
        print(f"{label:<12}{r['seconds']:>9.2f}{r['messages_per_s']:>9.0f}{r['cpu_seconds']:>11.2f}"
              f"{r['messages_per_cpu_s']:>11.0f}{r['sandbox_cpu_seconds']:>15.2f}")
    print(f"messages per generator core, im_client / Web SDK: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
