/**
 * Deterministic bucketing (docs/hashing.md, hash version 1): MurmurHash3 x86 32-bit, seed 0, over the
 * UTF-8 bytes of `seed + "/" + unit`, scaled to basis points with exact integer arithmetic.
 * Imports nothing from Node so that it runs unchanged in a browser.
 */

export const HASH_VERSION = 1;
export const BASIS_POINTS = 10000;

// Reused across calls: hashing is on the hot path and must not allocate per evaluation.
let scratch = new Uint8Array(256);

/** Writes the UTF-8 encoding of `text` into the scratch buffer from `at`; returns the end offset. */
function encodeInto(text: string, at: number): number {
  let p = at;
  const n = text.length;
  if (scratch.length < p + n * 3) {
    const grown = new Uint8Array(Math.max(scratch.length * 2, p + n * 3));
    grown.set(scratch.subarray(0, p));
    scratch = grown;
  }
  const buf = scratch;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[p++] = c;
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      buf[p++] = 0xf0 | (c >> 18);
      buf[p++] = 0x80 | ((c >> 12) & 63);
      buf[p++] = 0x80 | ((c >> 6) & 63);
      buf[p++] = 0x80 | (c & 63);
    } else {
      // A lone surrogate encodes as U+FFFD, as TextEncoder does.
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 63);
      buf[p++] = 0x80 | (c & 63);
    }
  }
  return p;
}

function murmur3Bytes(buf: Uint8Array, len: number): number {
  return murmur3Continue(0, buf, len, len);
}

/** Mixes the 4-byte blocks of buf[0, len) into h: the streaming part of murmur3. */
function mixBlocks(h: number, buf: Uint8Array, len: number): number {
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return h;
}

/** Continues a murmur3 whose state after the earlier whole blocks is `h`; `total` is the full byte length. */
function murmur3Continue(h: number, buf: Uint8Array, len: number, total: number): number {
  h = mixBlocks(h, buf, len);
  const i = len & ~3;
  const tail = len & 3;
  if (tail > 0) {
    let k = buf[i]!;
    if (tail > 1) k ^= buf[i + 1]! << 8;
    if (tail > 2) k ^= buf[i + 2]! << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= total;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 x86_32 (seed 0) of the UTF-8 bytes of `text`, as an unsigned 32-bit integer. */
export function murmur3(text: string): number {
  const end = encodeInto(text, 0);
  return murmur3Bytes(scratch, end);
}

/** murmur3(prefix + unit) without building the concatenated string. */
export function murmur3Pair(prefix: string, unit: string): number {
  const end = encodeInto(unit, encodeInto(prefix, 0));
  return murmur3Bytes(scratch, end);
}

/** bucket(seed, unit) = floor(murmur3(seed + "/" + unit) * 10000 / 2^32): exact, since h·10000 < 2^53. */
export function bucket(seed: string, unit: string): number {
  return Math.floor((murmur3Pair(seed + "/", unit) * BASIS_POINTS) / 4294967296);
}

/** The bucket for a seed whose "/" separator is already appended (the compiled hot path). */
export function bucketWithPrefix(prefix: string, unit: string): number {
  return Math.floor((murmur3Pair(prefix, unit) * BASIS_POINTS) / 4294967296);
}

/**
 * Converts relative weights (any non-negative scale) to basis points summing to exactly 10000:
 * floors first, then hands the leftover points to the largest remainders, ties to the earlier entry.
 */
export function weightsToBasisPoints(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return weights.map(() => 0);
  const exact = weights.map((w) => (w * BASIS_POINTS) / total);
  const points = exact.map((x) => Math.floor(x));
  let left = BASIS_POINTS - points.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - points[i]! })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let j = 0; left > 0 && j < order.length; j++, left--) points[order[j]!.i]!++;
  return points;
}

/**
 * A bucket function for one seed, for the hot path: the seed's UTF-8 bytes and the murmur3 state
 * after its whole 4-byte blocks are computed once, so each call only hashes the unit id.
 * Equal to `bucket(seed, unit)`.
 */
export function bucketerFor(seed: string): (unit: string) => number {
  const end = encodeInto(`${seed}/`, 0);
  const bytes = scratch.slice(0, end);
  const whole = end & ~3;
  const h0 = mixBlocks(0, bytes, whole);
  const tail = bytes.slice(whole);
  const t = tail.length;
  return (unit) => {
    const stop = encodeInto(unit, t);
    const buf = scratch;
    for (let i = 0; i < t; i++) buf[i] = tail[i]!;
    return Math.floor((murmur3Continue(h0, buf, stop, whole + stop) * BASIS_POINTS) / 4294967296);
  };
}

/** Index of the first entry whose cumulative basis points exceed the bucket, or -1. */
export function pickIndex(basisPoints: readonly number[], b: number): number {
  let cumulative = 0;
  for (let i = 0; i < basisPoints.length; i++) {
    cumulative += basisPoints[i]!;
    if (b < cumulative) return i;
  }
  return -1;
}
