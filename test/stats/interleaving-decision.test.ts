import { test } from "node:test";
import assert from "node:assert/strict";
import type { DecisionDesign } from "../../src/stats/analysis-types.js";
import type { InterleavingJson } from "../../src/stats/interleaving.js";
import { interleavingDecision } from "../../src/stats/interleaving-decision.js";

const rankers = ["collab_filter", "two_tower"] as const;
const design = (o: Partial<DecisionDesign> = {}): DecisionDesign => ({
  minDurationDays: 7,
  minUnitsPerVariant: 1000,
  ship: "any_primary",
  guardrails: "no_breach",
  asOf: "2026-12-14T00:00:00Z",
  start: "2026-11-16T00:00:00Z",
  end: "2026-12-10T00:00:00Z",
  ...o,
});
const json = (winsA: number, winsB: number, p: number, winner: string | null): InterleavingJson => ({
  method: "team_draft",
  rankers: [...rankers],
  click_event: "recommendation_click",
  item_property: "item_id",
  wins_a: winsA,
  wins_b: winsB,
  ties: 200,
  no_clicks: 100,
  clicks_a: 0,
  clicks_b: 0,
  share_a: winsA / (winsA + winsB),
  share_a_ci: [null, null],
  preference: null,
  delta_with_ties: null,
  p_value: p,
  alpha: 0.05,
  winner,
});

test("an interleaving experiment ships ranker B on a significant preference at its horizon, and stops otherwise", () => {
  const ship = interleavingDecision(json(300, 560, 1e-18, "two_tower"), rankers, design());
  assert.equal(ship.recommendation, "ship");
  assert.match(
    ship.reasons[0]!,
    /^Units prefer ranker "two_tower": 560 of 860 units with a preference prefer "two_tower" \(65\.1%\), p < 0\.0001/,
  );
  assert.equal(ship.minimums.smallest_units, 1160, "each ranker counts every enrolled unit");
  assert.equal(interleavingDecision(json(560, 300, 1e-18, "collab_filter"), rankers, design()).recommendation, "stop");
  const none = interleavingDecision(json(430, 440, 0.76, null), rankers, design());
  assert.equal(none.recommendation, "stop");
  assert.match(none.reasons[0]!, /^No significant preference at the horizon: .*keep ranker "collab_filter"\.$/);
});

test("before its horizon, below its minimums or without credited clicks, an interleaving experiment keeps running", () => {
  const early = interleavingDecision(json(300, 560, 1e-18, "two_tower"), rankers, design({ end: "2027-01-31T00:00:00Z" }));
  assert.equal(early.recommendation, "keep_running");
  assert.equal(early.horizon.reached, false);
  assert.ok(early.reasons.some((r) => /the sign test is a fixed-horizon test/.test(r)));
  assert.ok(!early.reasons.some((r) => /use method: sequential/.test(r)), "no advice that does not apply");
  const small = interleavingDecision(json(30, 56, 0.01, "two_tower"), rankers, design());
  assert.equal(small.recommendation, "keep_running");
  assert.equal(small.minimums.met, false);
  const none = interleavingDecision(undefined, rankers, design());
  assert.equal(none.recommendation, "keep_running");
  assert.match(none.reasons[0]!, /No click is credited/);
});
