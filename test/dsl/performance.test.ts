import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCondition, checkMetricExpr, parseCondition, parseMetricExpr } from "../../src/dsl/index.js";
import { makeEnv, originFor } from "./harness.js";

const env = makeEnv();

function validate(i: number): void {
  const cond = `country in ["US", "CA", "C${i}"] and platform != "ios" and (account_age_days > ${i} or segment("employees")) and app_version >= "1.${i}.0"`;
  const c = parseCondition(cond, originFor(cond));
  assert.deepEqual(checkCondition(c.expr!, env), []);
  const metric = `count(click where position <= ${i % 10}) / count(impression)`;
  const m = parseMetricExpr(metric, originFor(metric));
  assert.equal(checkMetricExpr(m.expr!, env).kind, "ratio");
}

// A workspace of 1,000 experiments must validate in under 2 s; this alarm catches a parser rebuilt per call
// (tens of milliseconds each).
test("1,000 targeting conditions and 1,000 metrics parse and check within the workspace budget", () => {
  for (let i = 0; i < 100; i++) validate(i);
  // CPU time, not wall time: other processes on the machine must not make this fail.
  const start = process.cpuUsage();
  for (let i = 0; i < 1000; i++) validate(i);
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms of CPU`);
});
