import { test } from "node:test";
import assert from "node:assert/strict";
import { currentTime } from "../../src/cli/clock.js";
import { ExpError } from "../../src/diagnostics/errors.js";
import { exampleRepo, exp } from "../helpers/workspace.js";

test("EXP_NOW pins the clock; unset or empty is the wall clock; anything else is a clean error", () => {
  assert.equal(currentTime({ EXP_NOW: "2027-03-01T08:30:00Z" }).toISOString(), "2027-03-01T08:30:00.000Z");
  assert.equal(currentTime({ EXP_NOW: "2027-03-01" }).toISOString(), "2027-03-01T00:00:00.000Z");
  const before = Date.now();
  const wall = currentTime({}).getTime();
  assert.ok(wall >= before && wall <= Date.now());
  assert.ok(Math.abs(currentTime({ EXP_NOW: "" }).getTime() - Date.now()) < 1000);
  for (const bad of ["tomorrow", "2027-13-45T00:00:00Z", "1700000000"])
    assert.throws(
      () => currentTime({ EXP_NOW: bad }),
      (e: unknown) => e instanceof ExpError && e.code === "EXP9004" && /EXP_NOW must be an ISO 8601 instant/.test(e.message),
    );
});

test("exp plan judges schedules at EXP_NOW: past their end the lifecycle check fails (exit 3), before it the plan is a plain change (exit 2)", () => {
  const dir = exampleRepo();
  const early = exp(dir, ["plan"], { EXP_NOW: "2026-11-21T12:00:00Z" });
  assert.equal(early.status, 2, early.stderr);
  const late = exp(dir, ["plan"], { EXP_NOW: "2027-06-01T00:00:00Z" });
  assert.equal(late.status, 3, late.stderr);
  assert.match(
    late.stdout + late.stderr,
    /EXP4123\]: experiment "checkout_redesign" would start running but its schedule ended at 2027-01-31/,
  );
  const bad = exp(dir, ["plan"], { EXP_NOW: "soon" });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^error\[EXP9004\]: EXP_NOW must be an ISO 8601 instant/m);
  assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/, "no stack trace");
});

test("exp assign without --at evaluates at EXP_NOW: after the schedule's end nobody is enrolled", () => {
  const dir = exampleRepo();
  const args = [
    "assign",
    "checkout_redesign",
    "--unit",
    "user_42",
    "--attr",
    "country=US",
    "--attr",
    "platform=web",
    "--desired",
    "--format",
    "json",
  ];
  const during = JSON.parse(exp(dir, args, { EXP_NOW: "2026-12-10T00:00:00Z" }).stdout) as { inExperiment: boolean };
  const after = JSON.parse(exp(dir, args, { EXP_NOW: "2027-02-10T00:00:00Z" }).stdout) as { inExperiment: boolean };
  assert.equal(during.inExperiment, true);
  assert.equal(after.inExperiment, false);
});
