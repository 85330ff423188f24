import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { allCodes } from "../../../src/diagnostics/codes.js";
import { checkCodes, planChecks, runPlanChecks, lifecycleCheck, TRANSITIONS, type CheckContext } from "../../../src/plan/checks/index.js";
import type { Experiment, ExperimentStatus, Workspace } from "../../../src/workspace/model.js";
import { loadWorkspace } from "../../../src/workspace/load.js";

test("the registry lists each check once, and every code is registered in EXP41xx", () => {
  const names = planChecks.map((c) => c.name);
  assert.deepEqual(names, ["collision", "layer capacity", "lifecycle", "preregistration", "guardrails", "stale flags"]);
  const codes = Object.values(checkCodes).map((c) => c.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^EXP41\d\d$/);
  const registered = new Map(allCodes().map((c) => [c.code, c]));
  for (const c of Object.values(checkCodes)) assert.deepEqual(registered.get(c.code), c);
});

const STATUSES: ExperimentStatus[] = ["draft", "running", "paused", "stopped", "archived"];
const span = { file: "experiments/x.yaml", line: 2, column: 9, endLine: 2, endColumn: 16, offset: 20, endOffset: 27 };

function lifecycleOf(from: ExperimentStatus | "new", to: ExperimentStatus, phaseBump: boolean): string[] {
  const exp = {
    key: "x",
    status: to,
    phase: phaseBump ? 2 : 1,
    schedule: {},
    origin: { file: span.file, values: { status: span }, keys: {} },
  } as unknown as Experiment;
  const desired = { experiments: new Map([["x", exp]]) } as unknown as Workspace;
  const published: CheckContext["published"] = { experiments: new Map(), flags: new Map() };
  if (from !== "new") published.experiments.set("x", { status: from, phase: 1, schedule: {} });
  return lifecycleCheck.run({ desired, published, now: new Date("2026-12-10T00:00:00Z") }).map((d) => d.code);
}

test("lifecycle: the policy's key transitions", () => {
  assert.deepEqual(lifecycleOf("draft", "running", false), []);
  assert.deepEqual(lifecycleOf("running", "paused", false), []);
  assert.deepEqual(lifecycleOf("paused", "running", false), []);
  assert.deepEqual(lifecycleOf("running", "stopped", false), []);
  assert.deepEqual(lifecycleOf("running", "draft", false), ["EXP4121"]);
  assert.deepEqual(lifecycleOf("stopped", "running", false), ["EXP4122"]);
  assert.deepEqual(lifecycleOf("stopped", "running", true), []);
  for (const to of STATUSES) assert.deepEqual(lifecycleOf("archived", to, true), to === "archived" ? [] : ["EXP4121"], `archived → ${to}`);
});

test("lifecycle: every cell of the transition table, with and without a phase bump", () => {
  let cells = 0;
  for (const from of ["new", ...STATUSES] as const) {
    for (const to of STATUSES) {
      for (const bump of [false, true]) {
        const verdict = TRANSITIONS[from][to];
        const want = verdict === "no" ? ["EXP4121"] : verdict === "phase" && !bump ? ["EXP4122"] : [];
        assert.deepEqual(lifecycleOf(from, to, bump), want, `${from} → ${to}${bump ? " (phase bumped)" : ""}`);
        cells++;
      }
    }
  }
  assert.equal(cells, 60);
});

test("the example workspace runs through every check with well-formed diagnostics", async () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const { value: workspace } = await loadWorkspace(root);
  assert.ok(workspace);
  const published: CheckContext["published"] = { experiments: new Map(), flags: new Map() };
  for (const e of workspace.experiments.values())
    published.experiments.set(e.key, { status: e.status, phase: e.phase, schedule: e.schedule });
  const diags = runPlanChecks({ desired: workspace, published, now: new Date("2026-12-10T00:00:00Z") });
  const codes = new Set(Object.values(checkCodes).map((c) => c.code));
  for (const d of diags) {
    assert.ok(codes.has(d.code), d.code);
    assert.ok(d.span && d.span.line >= 1 && d.span.column >= 1, `${d.code} has a span`);
    assert.ok(workspace.files.has(d.span.file), `${d.code} points into a workspace file`);
  }
  console.log(`example workspace: ${diags.map((d) => `${d.code} ${d.span?.file}:${d.span?.line}`).join(", ") || "no diagnostics"}`);
});
