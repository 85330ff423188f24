"""Hash version 1 (docs/hashing.md): MurmurHash3 x86_32, seed 0, over the UTF-8 bytes of
``seed + "/" + unit``, scaled to basis points with exact integer arithmetic.

Bit-exact with the TypeScript runtime: unit ids are hashed as JavaScript's ``TextEncoder`` encodes
them, so a lone surrogate becomes U+FFFD and a surrogate pair written as two code points is one
character.
"""

from __future__ import annotations

import struct
from typing import Callable, Sequence

HASH_VERSION = 1
BASIS_POINTS = 10000

_M = 0xFFFFFFFF
_C1 = 0xCC9E2D51
_C2 = 0x1B873593
# One unpacker per block count: struct objects are compiled once, not per call.
_BLOCKS = [struct.Struct(f"<{n}I") for n in range(64)]


def utf8(text: str) -> bytes:
    """The bytes JavaScript's TextEncoder gives for a string."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Surrogate code points: pairs join into one character, lone ones become U+FFFD.
        joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return joined.encode("utf-8")


def _unpack(data: bytes, count: int) -> tuple[int, ...]:
    if count < len(_BLOCKS):
        return _BLOCKS[count].unpack_from(data)
    return struct.unpack_from(f"<{count}I", data)


def _mix(h: int, blocks: Sequence[int]) -> int:
    for k in blocks:
        k = (k * _C1) & _M
        k = ((k << 15) | (k >> 17)) & _M
        k = (k * _C2) & _M
        h ^= k
        h = ((h << 13) | (h >> 19)) & _M
        h = (h * 5 + 0xE6546B64) & _M
    return h


def _finish(h: int, tail: bytes, total: int) -> int:
    if tail:
        k = int.from_bytes(tail, "little")
        k = (k * _C1) & _M
        k = ((k << 15) | (k >> 17)) & _M
        k = (k * _C2) & _M
        h ^= k
    h ^= total
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M
    h ^= h >> 16
    return h


def murmur3_bytes(data: bytes) -> int:
    n = len(data)
    whole = n & ~3
    return _finish(_mix(0, _unpack(data, n >> 2)), data[whole:], n)


def murmur3(text: str) -> int:
    """MurmurHash3 x86_32 (seed 0) of the UTF-8 bytes of ``text``, as an unsigned 32-bit integer."""
    return murmur3_bytes(utf8(text))


def bucket(seed: str, unit: str) -> int:
    """``(murmur3(seed + "/" + unit) * 10000) >> 32``: an integer in [0, 10000)."""
    return (murmur3(f"{seed}/{unit}") * BASIS_POINTS) >> 32


def bucketer_for(seed: str) -> Callable[[str], int]:
    """A bucket function for one seed: the seed's whole 4-byte blocks are mixed once, so each call
    only hashes the unit id. Equal to ``bucket(seed, unit)``."""
    prefix = utf8(f"{seed}/")
    whole = len(prefix) & ~3
    h0 = _mix(0, _unpack(prefix, whole >> 2))
    tail = prefix[whole:]
    offset = whole

    def bucket_of(unit: str) -> int:
        try:
            data = tail + unit.encode("utf-8")
        except UnicodeEncodeError:
            data = tail + utf8(unit)
        n = len(data)
        count = n >> 2
        # _mix and _finish inlined: this is the hot path of every evaluation.
        h = h0
        for k in (_BLOCKS[count] if count < 64 else struct.Struct(f"<{count}I")).unpack_from(data):
            k = (k * _C1) & _M
            k = ((k << 15) | (k >> 17)) & _M
            h ^= (k * _C2) & _M
            h = ((h << 13) | (h >> 19)) & _M
            h = (h * 5 + 0xE6546B64) & _M
        rest = n & 3
        if rest:
            k = int.from_bytes(data[n - rest :], "little")
            k = (k * _C1) & _M
            k = ((k << 15) | (k >> 17)) & _M
            h ^= (k * _C2) & _M
        h ^= offset + n
        h ^= h >> 16
        h = (h * 0x85EBCA6B) & _M
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & _M
        h ^= h >> 16
        return (h * BASIS_POINTS) >> 32

    return bucket_of


def weights_to_basis_points(weights: Sequence[float]) -> list[int]:
    """Relative weights to basis points summing to exactly 10000: floors first, then the leftover
    points go to the largest remainders, ties to the earlier entry."""
    total = sum(weights)
    if not total > 0:
        return [0 for _ in weights]
    exact = [w * BASIS_POINTS / total for w in weights]
    points = [int(x // 1) for x in exact]
    left = BASIS_POINTS - sum(points)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - points[i]), i))
    for i in order:
        if left <= 0:
            break
        points[i] += 1
        left -= 1
    return points


def pick_index(basis_points: Sequence[int], b: int) -> int:
    """The index of the first entry whose cumulative basis points exceed the bucket, or -1."""
    cumulative = 0
    for i, w in enumerate(basis_points):
        cumulative += w
        if b < cumulative:
            return i
    return -1
