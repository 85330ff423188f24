import { test } from "node:test";
import assert from "node:assert/strict";
import { preregistrationCheck } from "../../../src/plan/checks/preregistration.js";
import type { CheckContext } from "../../../src/plan/checks/index.js";
import type { RulesetRegistration } from "../../../src/ruleset/types.js";
import type { Experiment, ExperimentStatus, Workspace } from "../../../src/workspace/model.js";

const REGISTERED: RulesetRegistration = {
  primary: ["conversion"],
  guardrails: { errors: 0.02 },
  method: "fixed",
  alpha: 0.05,
  amendments: 0,
};

/** The codes of the check for one experiment published as `from` with REGISTERED, desired with `after`. */
function codes(
  from: ExperimentStatus,
  after: Partial<RulesetRegistration>,
  o: { phase?: number; amendments?: string[]; publishedRegistration?: RulesetRegistration | null } = {},
): string[] {
  const amendments = (o.amendments ?? []).map((reason) => ({ reason }));
  const exp = {
    key: "x",
    status: "running",
    phase: o.phase ?? 1,
    amendments,
    origin: { file: "experiments/x.yaml", values: {}, keys: {} },
  };
  const desired = { experiments: new Map([["x", exp as unknown as Experiment]]) } as unknown as Workspace;
  const registration = o.publishedRegistration === null ? undefined : (o.publishedRegistration ?? REGISTERED);
  const published: CheckContext["published"] = {
    experiments: new Map([["x", { status: from, phase: 1, schedule: {}, ...(registration ? { registration } : {}) }]]),
    flags: new Map(),
  };
  const registrations = new Map([["x", { ...REGISTERED, ...after, amendments: amendments.length }]]);
  return preregistrationCheck.run({ desired, published, registrations, now: new Date("2026-12-10T00:00:00Z") }).map((d) => d.code);
}

test("every started status locks the design; a draft does not", () => {
  for (const from of ["running", "paused", "stopped"] as const) assert.deepEqual(codes(from, { primary: ["revenue"] }), ["EXP4161"], from);
  assert.deepEqual(codes("draft", { primary: ["revenue"] }), []);
});

test("each registered part is locked, and an unchanged design or an added secondary metric is not a change", () => {
  assert.deepEqual(codes("running", {}), []);
  assert.deepEqual(codes("running", { hypothesis: "sha256:0123456789abcdef" }), ["EXP4161"]);
  assert.deepEqual(codes("running", { method: "sequential" }), ["EXP4161"]);
  assert.deepEqual(codes("running", { alpha: 0.1 }), ["EXP4161"]);
  assert.deepEqual(codes("running", { guardrails: { errors: 0.05 } }), ["EXP4161"]);
  assert.deepEqual(codes("running", { guardrails: { errors: 0.02, latency: null } }), ["EXP4161"]);
  assert.deepEqual(codes("running", { primary: ["revenue", "conversion"] }), ["EXP4161"]);
});

test("a new amendment turns the error into an info; one already published does not", () => {
  assert.deepEqual(codes("running", { primary: ["revenue"] }, { amendments: ["why"] }), ["EXP4162"]);
  const amended = { ...REGISTERED, amendments: 1 };
  assert.deepEqual(codes("running", { primary: ["revenue"] }, { amendments: ["why"], publishedRegistration: amended }), ["EXP4161"]);
  assert.deepEqual(codes("running", { primary: ["revenue"] }, { amendments: ["why", "again"], publishedRegistration: amended }), [
    "EXP4162",
  ]);
});

test("a phase bump, or a published ruleset from before designs were recorded, is not locked", () => {
  assert.deepEqual(codes("running", { primary: ["revenue"] }, { phase: 2 }), []);
  assert.deepEqual(codes("running", { primary: ["revenue"] }, { publishedRegistration: null }), []);
});
