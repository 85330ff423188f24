// exp.yaml `environments:`: validated at file:line:col, and resolved into the workspace one environment sees.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadWorkspace } from "../../src/workspace/load.js";
import { resolveEnvironment, selectEnvironment } from "../../src/workspace/environment.js";
import { parsePublishConfig } from "../../src/plan/target/config.js";
import { FIXTURES, workspaceFromTree } from "./fixture-tree.js";

const BASE_EXP = readFileSync(join(FIXTURES, "_base/exp.yaml"), "utf8");

const ROLLOUT_FLAG = `flag: search_v2
type: boolean
default: off
rules:
  - name: staff
    when: segment("staff")
    serve: on
  - name: gradual
    rollout:
      variant: on
      steps: [{at: 2026-12-01T00:00:00Z, percent: 10}, {at: 2026-12-08T00:00:00Z, percent: 50}]
`;

async function load(environments: string) {
  const dir = workspaceFromTree({ "exp.yaml": `${BASE_EXP}${environments}`, "flags/search_v2.yaml": ROLLOUT_FLAG });
  try {
    return await loadWorkspace(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (n: number) => BASE_EXP.split("\n").length - 1 + n;
const errors = (r: Awaited<ReturnType<typeof load>>) =>
  r.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.message, d.suggestion, d.span?.line, d.span?.column]);

const TWO = `environments:
  staging:
    flags:
      search_v2:
        enabled: true
        steps:
          gradual: [{at: 2026-12-01T00:00:00Z, percent: 100}]
    experiments:
      checkout: {traffic: 100%}
  production:
    publish: {type: git, branch: exp-production}
    flags:
      new_checkout: {enabled: false}
    experiments:
      checkout: {status: paused, traffic: 20%}
`;

test("environments load with their publish targets (a folder of its own by default) and overrides", async () => {
  const r = await load(TWO);
  assert.deepEqual(errors(r), []);
  const envs = r.value!.settings.environments!;
  assert.deepEqual(Object.keys(envs), ["staging", "production"]);
  assert.deepEqual(envs.staging!.publish, { type: "directory", path: ".exp/published/staging" });
  assert.deepEqual({ ...envs.production!.publish }, { type: "git", branch: "exp-production" });
  assert.deepEqual(JSON.parse(JSON.stringify(envs.staging!.flags.search_v2)), {
    enabled: true,
    steps: { gradual: [{ at: "2026-12-01T00:00:00.000Z", percent: 100 }] },
  });
  assert.deepEqual(envs.production!.experiments.checkout, { status: "paused", traffic: 0.2 });
});

test("resolving an environment applies its overrides and publish target, and leaves the loaded workspace as it was", async () => {
  const ws = (await load(TWO)).value!;
  const prod = resolveEnvironment(ws, "production").value!;
  assert.equal(prod.environment, "production");
  assert.deepEqual({ ...prod.settings.runtime.publish }, { type: "git", branch: "exp-production" });
  assert.equal(prod.flags.get("new_checkout")!.enabled, false);
  assert.equal(prod.experiments.get("checkout")!.status, "paused");
  assert.equal(prod.experiments.get("checkout")!.traffic, 0.2);
  const staging = resolveEnvironment(ws, "staging").value!;
  const rule = staging.flags.get("search_v2")!.rules.find((x) => x.name === "gradual");
  assert.deepEqual(rule?.kind === "rollout" && rule.steps, [{ at: "2026-12-01T00:00:00.000Z", percent: 100 }]);
  assert.equal(staging.experiments.get("checkout")!.status, "running");
  // The workspace as loaded is untouched.
  assert.equal(ws.environment, undefined);
  assert.equal(ws.flags.get("new_checkout")!.enabled, true);
  assert.equal(ws.experiments.get("checkout")!.traffic, 1);
  assert.deepEqual(ws.settings.runtime.publish, { type: "directory", path: ".exp/published" });
});

test("without environments and without --env the workspace is itself; each other combination is one diagnostic", async () => {
  const plain = (await load("")).value!;
  assert.equal(resolveEnvironment(plain, undefined).value, plain);
  const d = (ws: typeof plain, env: string | undefined) =>
    resolveEnvironment(ws, env).diagnostics.map((x) => [x.code, x.message, x.suggestion]);
  assert.deepEqual(d(plain, "staging"), [
    [
      "EXP1050",
      'environment "staging" is not declared: exp.yaml has no "environments:"',
      "remove --env, or declare the environment under environments: in exp.yaml",
    ],
  ]);
  const ws = (await load(TWO)).value!;
  assert.deepEqual(d(ws, undefined), [
    ["EXP1051", 'exp.yaml declares environments ("production", "staging"); choose one with --env', "pass --env production"],
  ]);
  assert.deepEqual(d(ws, "stagin"), [
    ["EXP1050", 'unknown environment "stagin"; use one that exp.yaml declares (production, staging)', 'did you mean "staging"?'],
  ]);
  assert.deepEqual(selectEnvironment(["staging"], "staging"), { value: "staging", diagnostics: [] });
});

test("overrides of unknown flags, experiments and rules are errors at their key, with a did-you-mean", async () => {
  const r = await load(`environments:
  staging:
    flags:
      new_chekout: {enabled: true}
      search_v2:
        steps:
          gradul: [{at: 2026-12-01T00:00:00Z, percent: 100}]
          staff: [{at: 2026-12-01T00:00:00Z, percent: 100}]
    experiments:
      chekout: {status: paused}
`);
  assert.deepEqual(errors(r), [
    ["EXP3040", 'unknown flag "new_chekout"; override a flag that flags/ declares', 'did you mean "new_checkout"?', line(4), 7],
    ["EXP3040", 'unknown rollout rule "gradul"; use a rollout rule of flag "search_v2"', 'did you mean "gradual"?', line(7), 11],
    ["EXP3040", 'rule "staff" of flag "search_v2" is not a rollout, so it has no steps to override', undefined, line(8), 11],
    ["EXP3040", 'unknown experiment "chekout"; override an experiment that experiments/ declares', 'did you mean "checkout"?', line(10), 7],
  ]);
});

const CHECKED = (enabled: string) => `environments:
  staging:
    publish: {type: directory, path: ./state/}
    flags:
      search_v2:${enabled}
        steps:
          gradual: [{at: 2026-12-05T00:00:00Z, percent: 50}, {at: 2026-12-06T00:00:00Z, percent: 10}]
    experiments:
      checkout: {traffic: 0%}
  production:
    publish: {type: directory, path: state}
`;

test("override values are checked: schema shape, zero traffic, shrinking steps, and two environments on one target", async () => {
  // A schema error leaves exp.yaml out, so the cross-file checks do not run on it.
  assert.deepEqual(errors(await load(CHECKED("\n        enabled: yes"))), [
    ["EXP1021", '"environments.staging.flags.search_v2.enabled" expected true or false, found a string', undefined, line(6), 18],
  ]);
  assert.deepEqual(
    errors(await load(CHECKED(""))).map((e) => [e[0], e[3], e[4]]),
    [
      ["EXP3012", line(7), 98],
      ["EXP3021", line(9), 27],
      ["EXP3041", line(11), 14],
    ],
  );
});

test("the publish location read before loading follows --env, with the same diagnostics", () => {
  const text = `version: 1\n${TWO}`;
  assert.deepEqual(parsePublishConfig(text, "exp.yaml", "staging"), { type: "directory", path: ".exp/published/staging" });
  assert.deepEqual(parsePublishConfig(text, "exp.yaml", "production"), { type: "git", branch: "exp-production" });
  assert.throws(
    () => parsePublishConfig(text),
    (e: Error & { code?: string }) => e.code === "EXP1051",
  );
  assert.throws(
    () => parsePublishConfig(text, "exp.yaml", "prod"),
    (e: Error & { code?: string }) => e.code === "EXP1050",
  );
  assert.throws(
    () => parsePublishConfig("version: 1\n", "exp.yaml", "staging"),
    (e: Error & { code?: string }) => e.code === "EXP1050",
  );
  assert.deepEqual(parsePublishConfig("version: 1\n"), { type: "directory", path: ".exp/published" });
});
