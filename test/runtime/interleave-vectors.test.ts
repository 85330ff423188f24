import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { interleaveRankings } from "../../src/runtime/interleave.js";

interface Vector {
  method: "team_draft" | "balanced";
  hashKey: string;
  requestId: string;
  rankingA: string[];
  rankingB: string[];
  length?: number;
  items: string[];
  teams: string[];
}

const doc = JSON.parse(readFileSync(new URL("../fixtures/vectors/interleaving/interleave-vectors.json", import.meta.url), "utf8")) as {
  experiment: string;
  phase: number;
  rankers: [string, string];
  vectors: Vector[];
};

test("the runtime's interleaving reproduces the Python SDK's vectors (docs/hashing.md#interleaving)", () => {
  assert.ok(doc.vectors.length >= 100);
  for (const v of doc.vectors) {
    const got = interleaveRankings({
      experiment: doc.experiment,
      phase: doc.phase,
      interleaving: { method: v.method, rankers: doc.rankers },
      hashKey: v.hashKey,
      requestId: v.requestId,
      rankingA: v.rankingA,
      rankingB: v.rankingB,
      length: v.length,
    });
    assert.deepEqual(got, { items: v.items, teams: v.teams }, JSON.stringify(v));
  }
});
