"""Streamed results: the child streams a large value, the parent hashes the bytes and keeps only a digest."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from effilab.sandbox import Limits, OutputDigest, Verdict, Worker
from effilab.sandbox.stream import MAX_FRAME, StreamReader

STREAMING = Limits(timeout_s=20.0, load_timeout_s=10.0, memory_mb=2048, stream_above_bytes=1 << 20)

PROGRAMS = """
def shared(n):
    word = "word"
    return [(word, i % 7) for i in range(n)]

def fresh(n):
    return [("wo" + "rd"[: (i % 1) + 2], i % 7) for i in range(n)]

def plus_one(n):
    return shared(n) + [None]

def as_tuple(n):
    return tuple(shared(n))

def as_floats(n):
    return [float(i) for i in range(n)]

def as_ints(n):
    return list(range(n))

def small(n):
    return n

class Str(str):
    pass

def with_subclass(n):
    out = shared(n)
    out[-1] = (Str("word"), 0)
    return out
"""


def _frames(*payloads: bytes, end: int = 0) -> bytearray:
    data = bytearray()
    for payload in payloads:
        data += len(payload).to_bytes(4, "big") + payload
    return data + end.to_bytes(4, "big")


# ----------------------------------------------------------------------------------------- the reader


def test_reader_hashes_the_payloads_only_and_leaves_what_follows() -> None:
    buffer = _frames(b"abc", b"defg") + b'{"next": 1}\n'
    reader = StreamReader(max_bytes=100)
    reader.feed(buffer)
    assert reader.done
    assert not reader.aborted
    assert reader.error is None
    assert reader.digest() == OutputDigest(hashlib.sha256(b"abcdefg").hexdigest(), 7)
    assert bytes(buffer) == b'{"next": 1}\n'


def test_reader_fed_one_byte_at_a_time_gives_the_same_digest() -> None:
    data = _frames(b"x" * 1000, b"y" * 10)
    reader = StreamReader(max_bytes=10_000)
    buffer = bytearray()
    for byte in data:
        buffer.append(byte)
        reader.feed(buffer)
    assert reader.done
    assert reader.digest() == OutputDigest(hashlib.sha256(b"x" * 1000 + b"y" * 10).hexdigest(), 1010)
    assert buffer == b""


def test_reader_reports_an_aborted_stream_an_oversized_one_and_a_forged_frame() -> None:
    aborted = StreamReader(max_bytes=100)
    aborted.feed(_frames(b"abc", end=0xFFFFFFFF))
    assert aborted.done
    assert aborted.aborted

    oversized = StreamReader(max_bytes=5)
    oversized.feed(_frames(b"abc", b"def"))
    assert oversized.error is not None
    assert "larger than 5 bytes" in oversized.error

    forged = StreamReader(max_bytes=1 << 30)
    forged.feed(bytearray((MAX_FRAME + 1).to_bytes(4, "big")))
    assert forged.error is not None
    assert "protocol violation" in forged.error


# ----------------------------------------------------------------------------------------- the worker


def _call(entry: str, n: int, tier: str, limits: Limits = STREAMING) -> object:
    with Worker(limits=limits, isolation=tier) as worker:
        assert worker.load(textwrap.dedent(PROGRAMS), entry=entry).verdict is Verdict.OK
        result = worker.call([n])
    assert result.verdict is Verdict.OK, result
    return result.value


N = 300_000  # a few MB serialised: over the 1 MiB threshold of STREAMING


def test_equal_values_give_equal_digests_whatever_objects_they_share(any_tier: str) -> None:
    shared = _call("shared", N, any_tier)
    assert isinstance(shared, OutputDigest)
    assert shared.size > 1 << 20
    assert _call("fresh", N, any_tier) == shared


def test_different_values_or_types_give_different_digests(any_tier: str) -> None:
    shared = _call("shared", N, any_tier)
    others = [_call(entry, N, any_tier) for entry in ("plus_one", "as_tuple", "with_subclass")]
    assert all(isinstance(other, OutputDigest) for other in others)
    assert len({shared, *others}) == 4
    assert _call("as_ints", N, any_tier) != _call("as_floats", N, any_tier)


def test_small_results_are_decoded_as_before(any_tier: str) -> None:
    assert _call("small", 5, any_tier) == 5
    assert _call("shared", 3, any_tier) == [("word", 0), ("word", 1), ("word", 2)]


def test_without_stream_above_a_large_result_is_an_output_limit(any_tier: str) -> None:
    limits = STREAMING.replace(stream_above_bytes=None, result_bytes=1 << 20)
    with Worker(limits=limits, isolation=any_tier) as worker:
        worker.load(textwrap.dedent(PROGRAMS), entry="shared")
        assert worker.call([N]).verdict is Verdict.OUTPUT_LIMIT


def test_a_stream_over_its_cap_is_an_output_limit(any_tier: str) -> None:
    limits = STREAMING.replace(stream_max_bytes=2 << 20)
    with Worker(limits=limits, isolation=any_tier) as worker:
        worker.load(textwrap.dedent(PROGRAMS), entry="shared")
        assert worker.call([N]).verdict is Verdict.OUTPUT_LIMIT


def test_a_batch_stops_after_a_streamed_result_and_the_worker_serves_the_rest(any_tier: str) -> None:
    with Worker(limits=STREAMING, isolation=any_tier) as worker:
        worker.load(textwrap.dedent(PROGRAMS), entry="shared")
        results = worker.call_batch([[1], [N], [2]], timeout_s=30)
        assert [r.verdict for r in results] == [Verdict.OK, Verdict.OK]
        assert results[0].value == [("word", 0)]
        assert isinstance(results[1].value, OutputDigest)
        rest = worker.call_batch([[2]], timeout_s=30)
        assert rest[0].value == [("word", 0), ("word", 1)]


def _peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_the_parent_keeps_none_of_a_large_streamed_result(any_tier: str) -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset this process's peak RSS
    except OSError:
        pytest.skip("cannot reset the peak RSS here")
    before = _peak_rss_kib()
    digest = _call("as_ints", 40_000_000, any_tier, STREAMING.replace(memory_mb=4096))
    assert isinstance(digest, OutputDigest)
    assert digest.size > 150_000_000  # pickled: about 5 bytes per int
    grew_mib = (_peak_rss_kib() - before) / 1024
    assert grew_mib < 32, (
        f"the parent's peak RSS grew by {grew_mib:.0f} MiB for a {digest.size >> 20} MiB result"
    )
