"""Hypothesis strategies for hostile msync frames, hand-encoded at the protobuf wire level so they
can carry what the generated classes refuse to build (invalid UTF-8, wrong field types, cut-offs)."""
from __future__ import annotations

from hypothesis import strategies as st

from im_wire import CONFERENCE_DOMAIN, USER_DOMAIN

BAD_UTF8 = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"ok\xfe\xfe", b"\xe2\x82"]
COMMANDS = st.integers(min_value=0, max_value=9) | st.sampled_from([2**31 - 1, 2**32 - 1])
BIG = 2**64 - 1


def varint(n: int) -> bytes:
    n &= BIG
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def ld(num: int, data: bytes) -> bytes:
    """A length-delimited field (string, bytes, sub-message)."""
    return varint(num << 3 | 2) + varint(len(data)) + data


def vi(num: int, value: int) -> bytes:
    return varint(num << 3) + varint(value)


def texts(names: list[str]) -> st.SearchStrategy[bytes]:
    """Field text: known names, arbitrary unicode, invalid UTF-8."""
    return st.one_of(
        st.sampled_from([n.encode() for n in names] + [b"", b"admin", USER_DOMAIN.encode()]),
        st.text(max_size=40).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.sampled_from(BAD_UTF8),
    )


def jids(appkey: str, names: list[str]) -> st.SearchStrategy[bytes]:
    domains = st.sampled_from([USER_DOMAIN.encode(), CONFERENCE_DOMAIN.encode(), b"", b"evil.example"]) | st.sampled_from(BAD_UTF8)
    return st.builds(
        lambda app, name, dom, res: ld(1, app) + ld(2, name) + ld(3, dom) + (ld(4, res) if res else b""),
        st.sampled_from([appkey.encode(), b"other#app", b""]) | st.sampled_from(BAD_UTF8),
        texts(names), domains, st.none() | texts(names),
    )


def message_bodies(appkey: str, names: list[str], ids: list[int]) -> st.SearchStrategy[bytes]:
    content = st.builds(lambda t, x: vi(1, t) + ld(2, x), st.integers(0, 12), texts(names))
    return st.builds(
        lambda typ, frm, to, contents, ack, meta: (vi(1, typ) + ld(2, frm) + ld(3, to) + b"".join(ld(4, c) for c in contents)
                                                   + (vi(6, ack) if ack is not None else b"") + (ld(9, meta) if meta else b"")),
        st.integers(0, 12), jids(appkey, names), jids(appkey, names), st.lists(content, max_size=4),
        st.none() | st.sampled_from(ids) | st.integers(0, BIG), st.none() | texts(names),
    )


def metas(appkey: str, names: list[str], ids: list[int]) -> st.SearchStrategy[bytes]:
    payload = message_bodies(appkey, names, ids) | st.binary(max_size=64)
    return st.builds(
        lambda mid, to, ns, body, route, directed: (vi(1, mid) + ld(3, to) + vi(5, ns) + ld(6, body) + vi(7, route)
                                                    + b"".join(ld(10, d) for d in directed)),
        st.integers(0, BIG), jids(appkey, names), st.integers(0, 9), payload, st.integers(0, 4),
        st.lists(texts(names), max_size=3),
    )


def payloads(appkey: str, names: list[str], ids: list[int]) -> st.SearchStrategy[bytes]:
    """Any command's payload (so commands and payloads get mixed up)."""
    sync_ul = st.builds(lambda meta, key, queue: (ld(1, meta) if meta else b"") + (vi(2, key) if key is not None else b"")
                        + (ld(3, queue) if queue else b""),
                        st.none() | metas(appkey, names, ids), st.none() | st.sampled_from(ids) | st.integers(0, BIG),
                        st.none() | jids(appkey, names))
    provision = st.builds(lambda os_, res, token: vi(1, os_) + ld(13, res) + ld(18, token),
                          st.integers(0, 20), texts(names), texts(names))
    logout = st.builds(lambda sid, reason: ld(1, sid) + ld(2, reason), texts(names), texts(names))
    return st.one_of(sync_ul, provision, logout, st.just(b""), st.binary(max_size=128))


def msync_frames(appkey: str, names: list[str], ids: list[int]) -> st.SearchStrategy[bytes]:
    return st.builds(
        lambda cmd, payload, guid, auth, extra: (vi(1, 0) + (ld(2, guid) if guid else b"") + (ld(3, auth) if auth else b"")
                                                 + vi(8, cmd) + ld(9, payload) + extra),
        COMMANDS, payloads(appkey, names, ids), st.none() | jids(appkey, names), st.none() | texts(names),
        st.sampled_from([b"", vi(11, 0), vi(20, BIG), ld(99, b"unknown field")]),
    )


def huge_repeats(appkey: str, names: list[str]) -> st.SearchStrategy[bytes]:
    """Valid framing, absurd repetition: thousands of directed users, contents, encrypt types."""
    def build(count: int, kind: int) -> bytes:
        if kind == 0:
            meta = vi(1, 1) + ld(3, ld(2, names[0].encode())) + vi(5, 1) + b"".join(ld(10, b"u%d" % i) for i in range(count))
            return vi(8, 0) + ld(9, ld(1, meta))
        if kind == 1:
            body = vi(1, 1) + ld(3, ld(2, names[0].encode())) + ld(4, vi(1, 0) + ld(2, b"x")) * count
            return vi(8, 0) + ld(9, ld(1, vi(1, 2) + ld(3, ld(2, names[0].encode())) + vi(5, 1) + ld(6, body)))
        return vi(8, 1) + vi(11, 0) * count
    return st.builds(build, st.integers(1_000, 60_000), st.integers(0, 2))


def hostile_frames(appkey: str, names: list[str], ids: list[int]) -> st.SearchStrategy[bytes]:
    frames = msync_frames(appkey, names, ids)
    truncated = st.builds(lambda f, cut: f[: max(0, len(f) - 1 - cut % max(1, len(f)))], frames, st.integers(0, 10_000))
    mutated = st.builds(lambda f, pos, val: f[:pos % max(1, len(f))] + bytes([val]) + f[pos % max(1, len(f)) + 1:],
                        frames, st.integers(0, 10_000), st.integers(0, 255))
    return st.one_of(frames, truncated, mutated, st.binary(max_size=256), huge_repeats(appkey, names))
