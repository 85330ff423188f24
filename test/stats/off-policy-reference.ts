import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { LoggedDecision, OffPolicyResult } from "../../src/stats/off-policy.js";

// Values from test/stats/off-policy-reference.py (numpy, per-decision terms; scipy's normal quantile).
export const OFF_POLICY_REFERENCE = JSON.parse(readFileSync(new URL("off-policy-reference.json", import.meta.url), "utf8"));

/** The committed decisions; an empty cell is a missing value (NaN), which the sums leave out. */
export function referenceDecisions(): LoggedDecision[] {
  const [header, ...lines] = readFileSync(new URL("../reference/off-policy/decisions.csv", import.meta.url), "utf8")
    .trim()
    .split("\n");
  const cols = header!.split(",");
  return lines.map((line) => {
    const cell = Object.fromEntries(line.split(",").map((v, i) => [cols[i], v === "" ? NaN : Number(v)]));
    return {
      reward: cell.reward!,
      propensity: cell.logging_propensity!,
      targetProbability: cell.target_propensity!,
      predictedLogged: cell.reward_estimate!,
      predictedTarget: cell.target_estimate!,
    };
  });
}

export function rel(actual: number | null, expected: number, tol: number, what: string): void {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), 1e-300), `${what}: ${actual} vs ${expected}`);
}

/** Every number the reference pins, at `tol` relative. */
export function assertMatchesReference(got: OffPolicyResult, expected: any, tol: number): void {
  assert.equal(got.rows, expected.rows);
  assert.equal(got.invalid_rows, expected.invalid_rows);
  rel(got.logging.value, expected.logging.value, tol, "logging value");
  rel(got.logging.se, expected.logging.se, tol, "logging se");
  assert.deepEqual(
    got.estimates.map((e) => e.estimator),
    expected.estimates.map((e: any) => e.estimator),
  );
  for (const [i, e] of expected.estimates.entries()) {
    const g = got.estimates[i]!;
    for (const k of ["value", "se", "diff", "rel_lift"] as const) rel(g[k], e[k], tol, `${e.estimator} ${k}`);
    for (const j of [0, 1]) {
      rel(g.ci[j]!, e.ci[j], tol, `${e.estimator} ci[${j}]`);
      rel(g.diff_ci[j]!, e.diff_ci[j], tol, `${e.estimator} diff_ci[${j}]`);
    }
  }
  rel(got.weights.ess, expected.weights.ess, tol, "ess");
  rel(got.weights.ess_share, expected.weights.ess_share, tol, "ess share");
  rel(got.weights.max_weight, expected.weights.max_weight, tol, "max weight");
  assert.equal(got.weights.below_floor, expected.weights.below_floor);
  assert.equal(got.clip.cap, expected.clip.cap);
  assert.equal(got.clip.clipped, expected.clip.clipped);
}
