import { test } from "node:test";
import assert from "node:assert/strict";
import { bucket, murmur3, pickIndex, weightsToBasisPoints } from "../../src/ruleset/hash.js";
import { readVectors } from "../helpers/vectors.js";

const vectors = readVectors("hashing/hash-vectors.json");
const flagd = readVectors("flagd/fractional-vectors.json");

test("murmur3 golden vectors (hash-vectors.json)", () => {
  assert.ok(vectors.murmur3.length >= 10);
  for (const v of vectors.murmur3) assert.equal(murmur3(v.input), v.hash, `murmur3(${JSON.stringify(v.input)})`);
});

test("bucket golden vectors, every seed (hash-vectors.json)", () => {
  assert.equal(vectors.buckets.length, 240);
  for (const v of vectors.buckets) assert.equal(bucket(v.seed, v.unit), v.bucket, `bucket(${v.seed}, ${JSON.stringify(v.unit)})`);
});

test("weights to basis points, largest remainder with ties to the earlier variant", () => {
  for (const v of vectors.weights_to_bp) {
    const bp = weightsToBasisPoints(v.weights);
    assert.deepEqual(bp, v.bp, `weights ${JSON.stringify(v.weights)}`);
    assert.equal(
      bp.reduce((a: number, b: number) => a + b, 0),
      10000,
    );
  }
});

test("variant picks (hash-vectors.json)", () => {
  for (const v of vectors.variant_picks) {
    const i = pickIndex(weightsToBasisPoints(v.weights), bucket(v.seed, v.unit));
    assert.equal(v.variants[i], v.variant, `${v.seed} / ${JSON.stringify(v.unit)}`);
  }
});

test("flagd murmur3 vectors with seed 0", () => {
  for (const v of flagd.known_murmur3_vectors.filter((x: { seed: number }) => x.seed === 0)) assert.equal(murmur3(v.input), v.hash);
});

test("flagd fractional v2 vectors, every group and case", () => {
  let n = 0;
  for (const g of flagd.groups) {
    const weights = g.buckets.map((b: [string, number?]) => b[1] ?? 1);
    const total = weights.reduce((a: number, b: number) => a + b, 0);
    for (const c of g.cases) {
      const h = murmur3(c.bucketing_key);
      assert.equal(h, c.murmur3_x86_32_seed0, c.bucketing_key);
      if (c.expected_v2 === undefined) continue;
      // flagd v2: (h * totalWeight) >> 32, then the first cumulative weight above it.
      const b = Math.floor((h * total) / 4294967296);
      assert.equal(g.buckets[pickIndex(weights, b)][0], c.expected_v2, c.bucketing_key);
      n++;
    }
  }
  assert.ok(n >= 15, `checked ${n} v2 expectations`);
});

test("non-ASCII and lone surrogates hash like TextEncoder bytes", () => {
  for (const s of ["Jöhn", "ユーザー", "🙂🙃", "a\ud800b", "\udc00", "x".repeat(1000) + "é"]) {
    assert.equal(murmur3(s), murmur3(new TextDecoder().decode(new TextEncoder().encode(s))));
  }
});

test("the precomputed-seed bucketer equals bucket() for every vector and for long and non-ASCII seeds", async () => {
  const { bucketerFor } = await import("../../src/ruleset/hash.js");
  for (const v of vectors.buckets) assert.equal(bucketerFor(v.seed)(v.unit), v.bucket);
  for (const seed of ["", "a", "ab", "abc", "abcd", "variant:ünïcode:1", "x".repeat(300)]) {
    const f = bucketerFor(seed);
    for (const unit of ["", "u", "user_42", "Jöhn", "🙂", "y".repeat(500)]) assert.equal(f(unit), bucket(seed, unit), `${seed} / ${unit}`);
  }
});
