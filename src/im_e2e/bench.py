"""Throughput of the sandbox as seen by im_client: logins/s and 1:1 messages/s per transport.

    python -m im_e2e.bench                       # both transports, default sizes
    python -m im_e2e.bench --transports ws --messages 5000 --procs 2

The sandbox runs in its own process. The generator can be spread over several processes
(`--procs`) because one Python process cannot drive the sandbox to saturation; each generator
process reports its CPU share, so a saturated generator is visible next to the figure.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from im_client import Client, RestClient, Target, match
from im_client import messages as m

from .sandbox_process import SandboxProcess

PASSWORD = "bench-pw"


def _register(admin: RestClient, prefix: str, count: int) -> list[str]:
    names = [f"{prefix}-{n}" for n in range(count)]
    for start in range(0, count, 60):
        admin.must_register_users([{"username": n, "password": PASSWORD} for n in names[start:start + 60]])
    return names


def _tokens(target: Target, names: list[str]) -> dict[str, str]:
    rest = RestClient(target)
    with ThreadPoolExecutor(8) as pool:
        return dict(zip(names, pool.map(lambda n: rest.must_user_token(n, PASSWORD).access_token, names)))


def _login_worker(target: Target, transport: str, tokens: dict[str, str], threads: int, barrier) -> dict:
    def one(name: str) -> None:
        client = Client(target, name, token=tokens[name], transport=transport, resource="bench")
        client.open()
        client.close()

    barrier.wait()
    cpu0, started = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, tokens))
    ended = time.perf_counter()
    return {"count": len(tokens), "start": started, "end": ended, "cpu": time.process_time() - cpu0}


def _chat_worker(target: Target, transport: str, tokens: dict[str, str], pairs: list[tuple[str, str]],
                 per_pair: int, window: int, barrier) -> dict:
    clients = {name: Client(target, name, token=tokens[name], transport=transport) for pair in pairs for name in pair}
    for client in clients.values():
        client.open()

    def send_all(sender: Client, to: str) -> None:
        slots = threading.Semaphore(window)
        pending = []
        for n in range(per_pair):
            slots.acquire()
            meta = m.chat_meta(sender.appkey, sender.name, to, m.Body.CHAT, m.text_content(f"bench {n}"))
            fut = sender.send_meta_async(meta)
            fut.add_done_callback(lambda _f: slots.release())
            pending.append(fut)
        for fut in pending:
            if not fut.result(60).ok:
                raise RuntimeError(f"send refused: {fut.result().reason}")

    barrier.wait()
    cpu0, started = time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=send_all, args=(clients[s], r)) for s, r in pairs]
    for t in threads:
        t.start()
    for s, r in pairs:
        clients[r].wait_for_all(match.sender(s), per_pair, timeout=300)
    ended = time.perf_counter()
    for t in threads:
        t.join()
    for client in clients.values():
        client.close()
    return {"count": len(pairs) * per_pair, "start": started, "end": ended, "cpu": time.process_time() - cpu0}


def _spread(procs: int, work) -> list[dict]:
    """Run `work(i, barrier)` in `procs` forked processes started together; collect their results."""
    ctx = mp.get_context("fork")  # fork: the closures need no pickling
    barrier, results = ctx.Barrier(procs), ctx.Queue()

    def run(i: int) -> None:
        try:
            results.put(work(i, barrier))
        except BaseException as exc:  # surface a generator failure instead of hanging the parent
            barrier.abort()
            results.put({"error": f"{type(exc).__name__}: {exc}"})

    workers = [ctx.Process(target=run, args=(i,)) for i in range(procs)]
    for w in workers:
        w.start()
    parts = [results.get(timeout=600) for _ in workers]
    for w in workers:
        w.join()
    errors = [p["error"] for p in parts if "error" in p]
    if errors:
        raise RuntimeError("generator failed: " + "; ".join(errors))
    return parts


def _summarise(parts: list[dict], unit: str) -> dict:
    start, end = min(p["start"] for p in parts), max(p["end"] for p in parts)
    total = sum(p["count"] for p in parts)
    elapsed = end - start
    return {unit: total, "seconds": round(elapsed, 3), f"{unit}_per_s": round(total / elapsed),
            "generator_cpu_per_proc": [round(p["cpu"] / elapsed, 2) for p in parts]}


def bench_logins(target: Target, admin: RestClient, transport: str, count: int, threads: int, procs: int) -> dict:
    names = _register(admin, f"login-{transport}-{time.time_ns()}", count)
    tokens = _tokens(target, names)
    slices = [dict(list(tokens.items())[i::procs]) for i in range(procs)]
    parts = _spread(procs, lambda i, b: _login_worker(target, transport, slices[i], threads, b))
    return _summarise(parts, "logins")


def bench_messages(target: Target, admin: RestClient, transport: str, pairs: int, per_pair: int,
                   window: int, procs: int) -> dict:
    names = _register(admin, f"msg-{transport}-{time.time_ns()}", pairs * 2)
    tokens = _tokens(target, names)
    all_pairs = list(zip(names[:pairs], names[pairs:]))
    slices = [all_pairs[i::procs] for i in range(procs)]
    parts = _spread(procs, lambda i, b: _chat_worker(target, transport, tokens, slices[i], per_pair, window, b))
    return _summarise(parts, "messages")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transports", default="tcp,ws")
    parser.add_argument("--logins", type=int, default=2000)
    parser.add_argument("--login-threads", type=int, default=8, help="threads per generator process")
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--messages", type=int, default=2500, help="messages per pair")
    parser.add_argument("--window", type=int, default=200, help="unacked messages per sender")
    parser.add_argument("--procs", type=int, default=2, help="generator processes")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)

    results: dict[str, dict] = {}
    with SandboxProcess() as sandbox:
        target = Target.from_info(sandbox.info)
        admin = RestClient(target)
        admin.token = admin.must_app_token().access_token
        for transport in args.transports.split(","):
            results[transport] = {
                "login": bench_logins(target, admin, transport, args.logins, args.login_threads, args.procs),
                "chat": bench_messages(target, admin, transport, args.pairs, args.messages, args.window, args.procs),
            }
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"sandbox in its own process; generator: {args.procs} process(es)")
    print(f"{'transport':<10}{'logins/s':>10}{'msgs/s':>10}   generator cpu per process (login | msg)")
    for transport, r in results.items():
        print(f"{transport:<10}{r['login']['logins_per_s']:>10}{r['chat']['messages_per_s']:>10}   "
              f"{r['login']['generator_cpu_per_proc']} | {r['chat']['generator_cpu_per_proc']}")
    if {"tcp", "ws"} <= results.keys():
        lr = results["tcp"]["login"]["logins_per_s"] / results["ws"]["login"]["logins_per_s"]
        mr = results["tcp"]["chat"]["messages_per_s"] / results["ws"]["chat"]["messages_per_s"]
        print(f"tcp/ws ratio: logins {lr:.2f}, messages {mr:.2f} (same run, same sandbox)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
