import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { createClient } from "../../src/runtime/client.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { interleave, interleaveRankings } from "../../src/runtime/interleave.js";
import { INTERLEAVED_VARIANT, interleavingExposureId } from "../../src/runtime/sdk/interleaving-exposure.js";
import type { Exposure } from "../../src/runtime/sdk/wire.js";
import { experiment, workspace } from "./fixture.js";

const T0 = Date.parse("2026-12-10T00:00:00Z");
const rankers: [string, string] = ["collab_filter", "two_tower"];
const interleaving = (method: "team_draft" | "balanced", over = {}) =>
  experiment("recs", {
    type: "interleaving",
    unit: "session",
    rankers,
    interleaving_method: method,
    variants: rankers.map((key) => ({ key, weight: 1 })),
    control: rankers[0],
    ...over,
  });
const ruleset = (...experiments: ReturnType<typeof experiment>[]) =>
  compileRuleset(workspace({ experiments }), { createdAt: "2026-12-01T00:00:00Z" }).value;
const A = ["a1", "a2", "a3", "s1", "a4"];
const B = ["b1", "s1", "b2", "b3", "a1"];

const merge = (method: "team_draft" | "balanced", hashKey: string, requestId: string, a = A, b = B) =>
  interleaveRankings({ experiment: "recs", phase: 1, interleaving: { method, rankers }, hashKey, requestId, rankingA: a, rankingB: b });

describe("interleaving (docs/runtime.md#interleaving)", () => {
  test("team draft: every distinct item once, each team's items in its own order, picks never more than one apart", () => {
    for (let i = 0; i < 200; i++) {
      const m = merge("team_draft", `sess-${i}`, `req-${i % 7}`);
      assert.deepEqual([...m.items].sort(), [...new Set([...A, ...B])].sort());
      for (const [team, ranking] of [
        [rankers[0], A],
        [rankers[1], B],
      ] as const) {
        const own = m.items.filter((_, j) => m.teams[j] === team);
        assert.deepEqual(
          own,
          ranking.filter((x) => own.includes(x)),
        );
      }
      // While both rankings have items left (the first 6 picks here), the teams alternate in pairs.
      for (let k = 2; k <= 6; k += 2) {
        const firstK = m.teams.slice(0, k);
        assert.equal(firstK.filter((t) => t === rankers[0]).length, k / 2, `pair ${k} of ${JSON.stringify(m)}`);
      }
    }
  });

  test("the same unit and request get the same list; requests of one unit are flipped independently", () => {
    assert.deepEqual(merge("team_draft", "sess-1", "r"), merge("team_draft", "sess-1", "r"));
    const firsts = new Set(Array.from({ length: 64 }, (_, i) => merge("team_draft", "sess-1", `r${i}`).teams[0]));
    assert.deepEqual([...firsts].sort(), [...rankers].sort());
    const leads = Array.from({ length: 2000 }, (_, i) => merge("team_draft", `sess-${i}`, "r").teams[0] === rankers[0]).filter(
      Boolean,
    ).length;
    // Fair coin: 1000 ± 5 standard deviations (22.4).
    assert.ok(Math.abs(leads - 1000) < 112, `ranker A led ${leads} of 2000 lists`);
  });

  test("balanced: both rankings walked in step, led by the coin's ranker", () => {
    const leaders = new Set<boolean>();
    for (let i = 0; i < 20; i++) {
      const m = merge("balanced", `sess-${i}`, "r", ["x1", "x2", "x3"], ["y1", "x1", "y2"]);
      const ledByA = m.items[0] === "x1";
      leaders.add(ledByA);
      assert.deepEqual(m.items, ledByA ? ["x1", "y1", "x2", "x3", "y2"] : ["y1", "x1", "x2", "y2", "x3"]);
      const [a, b] = rankers;
      assert.deepEqual(m.teams, ledByA ? [a, b, a, a, b] : [b, a, a, b, a]);
    }
    assert.equal(leaders.size, 2);
  });

  test("length truncates the merged list", () => {
    assert.equal(merge("team_draft", "s", "r").items.length, 8);
    const short = interleaveRankings({
      experiment: "recs",
      phase: 1,
      interleaving: { method: "team_draft", rankers },
      hashKey: "s",
      requestId: "r",
      rankingA: A,
      rankingB: B,
      length: 3,
    });
    assert.equal(short.items.length, 3);
  });

  test("the evaluator enrols the unit without a variant, and assign says why", () => {
    const ev = createEvaluator(ruleset(interleaving("team_draft")));
    const a = ev.assign("recs", { userId: "u1", sessionId: "s1" }, {}, T0);
    assert.deepEqual([a.inExperiment, a.variant, a.reasons.at(-1)], [true, null, "interleaving"]);
    const r = interleave(ev, "recs", { userId: "u1", sessionId: "s1" }, A, B, { requestId: "q1", at: T0 });
    assert.equal(r.inExperiment, true);
    assert.deepEqual({ items: r.items, teams: r.teams }, merge("team_draft", "s1", "q1"));
  });

  test("a unit outside the traffic gets ranker A's list and no teams; an A/B experiment is refused", () => {
    const ev = createEvaluator(ruleset(interleaving("team_draft", { traffic: 0 }), experiment("ab")));
    const r = interleave(ev, "recs", { userId: "u1", sessionId: "s1" }, A, B, { at: T0 });
    assert.deepEqual([r.inExperiment, r.items, r.teams, r.reasons.at(-1)], [false, A, [], "outside_traffic"]);
    assert.throws(() => interleave(ev, "ab", "u1", A, B, { at: T0 }), /"ab" is not an interleaving experiment/);
  });

  test("the client logs one exposure per list shown, with the items and their teams", async () => {
    const sent: Exposure[] = [];
    const client = await createClient({
      ruleset: ruleset(interleaving("balanced")),
      exposureSink: { exposure: (e) => sent.push(e) },
      now: () => T0,
    });
    const unit = { userId: "u1", sessionId: "s1" };
    const r1 = client.interleave("recs", unit, A, B, { requestId: "q1" });
    client.interleave("recs", unit, A, B, { requestId: "q2" });
    client.interleave("recs", unit, A, B, { requestId: "q3", logExposure: false });
    assert.equal(client.assign("recs", unit).variant, null);
    assert.deepEqual(
      sent.map((e) => [e.exposureId, e.variant, e.sessionId, e.userId]),
      ["q1", "q2"].map((q) => [interleavingExposureId("recs", 1, "s1", q), INTERLEAVED_VARIANT, "s1", "u1"]),
    );
    assert.deepEqual(sent[0]!.metadata, { interleaving: { request: "q1", method: "balanced", items: r1.items, teams: r1.teams } });
  });
});
