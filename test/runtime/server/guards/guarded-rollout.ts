/**
 * A guarded rollout to test guards with: a workspace whose flag `new_checkout` rolls `on` out to 50%
 * with a guard on `error_clicks` (a conversion that should decrease, max_regression 1%), its ruleset
 * and live definitions, and seeded traffic where each side clicks with its own probability.
 */
import { rmSync } from "node:fs";
import { liveDefinitions } from "../../../../src/app/live-definitions.js";
import { compileRuleset } from "../../../../src/compiler/ruleset/compile.js";
import { createEvaluator } from "../../../../src/runtime/evaluator.js";
import type { LiveDefinitions } from "../../../../src/runtime/server/live/definitions.js";
import type { EventRecord, ExposureRecord } from "../../../../src/runtime/server/records.js";
import { exposureId } from "../../../../src/runtime/sdk/exposure-id.js";
import type { Ruleset } from "../../../../src/ruleset/types.js";
import { loadWorkspace } from "../../../../src/workspace/load.js";
import { workspaceFromTree } from "../../../workspace/fixture-tree.js";

export const GUARD_KEY = "rollout:new_checkout:everyone";
/** The rollout's first step, and the simulated clock's start. */
export const START = Date.parse("2026-12-01T00:00:00Z");

export const FILES: Record<string, string> = {
  "metrics/error_clicks.yaml": `metric: error_clicks
expr: any(click)
direction: decrease
window: 1d
guardrail: {max_regression: 1%}
`,
  "flags/new_checkout.yaml": `flag: new_checkout
type: boolean
default: off
rules:
  - name: everyone
    rollout:
      variant: on
      guard: {metrics: [error_clicks], min_units: 200}
      steps:
        - {at: 2026-12-01T00:00:00Z, percent: 50}
`,
};

/** experiments/checkout.yaml of the fixture workspace with a guard on its guardrail, `extra` added to the guard. */
export function guardedExperiment(extra = ""): string {
  return `experiment: checkout
status: running
layer: checkout
variants:
  control: {weight: 50}
  treatment: {weight: 50}
metrics:
  primary: [conversion]
  guardrails: [revenue]
guard: {metrics: [revenue]${extra}}
`;
}

/** FILES with the rollout at 50% from START, then gated on the guard to 100% after `afterUnits` units per arm. */
export function gatedFiles(afterUnits: number): Record<string, string> {
  const flag = FILES["flags/new_checkout.yaml"]!.replace(
    "        - {at: 2026-12-01T00:00:00Z, percent: 50}\n",
    `        - {at: 2026-12-01T00:00:00Z, percent: 50}\n        - {percent: 100, after_units: ${afterUnits}}\n`,
  );
  return { ...FILES, "flags/new_checkout.yaml": flag };
}

export async function guardedWorkspace(files = FILES): Promise<{ ruleset: Ruleset; definitions: LiveDefinitions }> {
  const dir = workspaceFromTree(files);
  try {
    const ws = await loadWorkspace(dir);
    if (!ws.value) throw new Error(JSON.stringify(ws.diagnostics));
    const ruleset = compileRuleset(ws.value, { createdAt: "2026-11-30T00:00:00.000Z" }).value;
    return { ruleset, definitions: liveDefinitions(ws.value) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Click probabilities per side of the rollout. */
export interface Rates {
  default: number;
  rollout: number;
}

/**
 * `n` new units evaluated at `at`: each one's exposure on the side the ruleset serves it (as an
 * SDK logs it) and, with its side's probability, a click a second later.
 */
export function traffic(ruleset: Ruleset, first: number, n: number, at: number, rates: Rates, random: () => number) {
  const evaluator = createEvaluator(ruleset);
  const exposures: ExposureRecord[] = [];
  const events: EventRecord[] = [];
  for (let i = first; i < first + n; i++) {
    const unit = `u${i}`;
    const r = evaluator.evaluate("new_checkout", unit, {}, at);
    if (r.reason !== "rollout" && r.reason !== "rollout_excluded") continue;
    const variant = r.reason === "rollout" ? "rollout" : "default";
    const ts = new Date(at).toISOString();
    exposures.push({ id: exposureId(GUARD_KEY, 1, unit), unit_id: unit, experiment: GUARD_KEY, phase: 1, variant, ts, metadata: null });
    if (random() < rates[variant])
      events.push({
        id: `e${i}`,
        unit_id: unit,
        session_id: null,
        event: "click",
        ts: new Date(at + 1000).toISOString(),
        value: null,
        properties: null,
      });
  }
  return { exposures, events };
}
