import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { bucket } from "../../src/ruleset/hash.js";
import { and, attr, bin, call, experiment, isIn, matches, num, str, workspace, notIn, shopWorkspace } from "./fixture.js";

const T0 = Date.parse("2026-12-10T00:00:00Z");
const build = (ws: ReturnType<typeof workspace>) => createEvaluator(compileRuleset(ws, { createdAt: "2026-12-01T00:00:00Z" }).value);

/** A unit id whose bucket for `seed` satisfies `pred`, searched deterministically. */
function unitWhere(pred: (u: string) => boolean, from = 0): string {
  for (let i = from; i < 1e6; i++) if (pred(`u${i}`)) return `u${i}`;
  throw new Error("no unit found");
}

describe("experiment assignment (docs/runtime.md)", () => {
  test("not running, and unknown experiment", () => {
    const ev = build(workspace({ experiments: [experiment("e", { status: "paused" })] }));
    assert.deepEqual(ev.assign("e", "u1", {}, T0).reasons, ["not_running"]);
    const r = ev.assign("nope", "u1", {}, T0);
    assert.deepEqual([r.variant, r.inExperiment, r.reasons], [null, false, ["experiment_not_found"]]);
  });

  test("schedule is [start, end): in exactly at start, out exactly at end", () => {
    const start = "2026-12-01T00:00:00Z";
    const end = "2026-12-29T00:00:00Z";
    const ev = build(workspace({ experiments: [experiment("e", { schedule: { start, end } })] }));
    assert.deepEqual(ev.assign("e", "u1", {}, Date.parse(start) - 1).reasons, ["running", "before_schedule"]);
    assert.equal(ev.assign("e", "u1", {}, Date.parse(start)).inExperiment, true);
    assert.equal(ev.assign("e", "u1", {}, Date.parse(end) - 1).inExperiment, true);
    assert.deepEqual(ev.assign("e", "u1", {}, Date.parse(end)).reasons, ["running", "after_schedule"]);
  });

  test("holdout units are not enrolled unless holdout: false", () => {
    const ws = workspace({ holdouts: { h: 0.1 }, experiments: [experiment("e"), experiment("free", { holdout: false })] });
    const ev = build(ws);
    const held = unitWhere((u) => bucket("holdout:h", u) < 1000);
    assert.deepEqual(ev.assign("e", held, {}, T0).reasons, ["running", "in_holdout:h"]);
    assert.equal(ev.assign("free", held, {}, T0).inExperiment, true);
    assert.deepEqual(ev.assign("free", held, {}, T0).reasons.slice(0, 2), ["running", "holdout_exempt"]);
    const out = unitWhere((u) => bucket("holdout:h", u) >= 1000);
    assert.deepEqual(ev.assign("e", out, {}, T0).reasons.slice(0, 3), ["running", "not_in_holdout", "targeting_match"]);
  });

  test("targeting: match, mismatch, missing and wrong-typed attributes never throw", () => {
    const targeting = and(isIn(attr("country"), str("US"), str("CA")), bin("!=", attr("platform"), str("ios")));
    const ev = build(workspace({ experiments: [experiment("e", { targeting })] }));
    assert.equal(ev.assign("e", "u1", { country: "US", platform: "web" }, T0).inExperiment, true);
    assert.equal(ev.assign("e", "u1", { country: "US", platform: "ios" }, T0).reasons.at(-1), "targeting_mismatch");
    assert.equal(ev.assign("e", "u1", { country: "US" }, T0).reasons.at(-1), "targeting_mismatch");
    assert.equal(ev.assign("e", "u1", {}, T0).reasons.at(-1), "targeting_mismatch");
    assert.equal(ev.assign("e", "u1", { country: 1, platform: 2 }, T0).reasons.at(-1), "targeting_mismatch");
    assert.equal(ev.assign("e", "u1", { country: ["US"], platform: null }, T0).reasons.at(-1), "targeting_mismatch");
  });

  test("traffic: units above the traffic bucket are out", () => {
    const ev = build(workspace({ experiments: [experiment("e", { traffic: 0.25 })] }));
    const inside = unitWhere((u) => bucket("traffic:e:1", u) < 2500);
    const outside = unitWhere((u) => bucket("traffic:e:1", u) >= 2500);
    assert.equal(ev.assign("e", inside, {}, T0).reasons.at(-2), "in_traffic");
    const r = ev.assign("e", outside, {}, T0);
    assert.deepEqual([r.inExperiment, r.reasons.at(-1), r.bucket], [false, "outside_traffic", null]);
  });

  test("variant by weights, with config, bucket and hashKey", () => {
    const ev = build(workspace({ experiments: [experiment("e")] }));
    for (const unit of ["", "0", "user_42", "Jöhn", "ユーザー", "🙂🙃"]) {
      const r = ev.assign("e", unit, {}, T0);
      const b = bucket("variant:e:1", unit);
      assert.equal(r.bucket, b);
      assert.equal(r.hashKey, unit);
      assert.equal(r.variant, b < 5000 ? "control" : "treatment");
      assert.deepEqual(r.config, { layout: b < 5000 ? "classic" : "new" });
      assert.deepEqual(r.reasons, ["running", "not_in_holdout", "targeting_match", "in_traffic", `variant:${r.variant}`]);
    }
  });

  test("layered experiments use the layer seed and their slot ranges", () => {
    const ev = build(
      workspace({
        layers: ["l"],
        experiments: [experiment("a", { layer: "l", traffic: 0.3 }), experiment("b", { layer: "l", traffic: 0.2 })],
      }),
    );
    assert.deepEqual(ev.ruleset.layers.l!.slots, { a: [[0, 3000]], b: [[3000, 5000]] });
    const inB = unitWhere((u) => {
      const b = bucket("layer:l", u);
      return b >= 3000 && b < 5000;
    });
    assert.equal(ev.assign("a", inB, {}, T0).reasons.at(-1), "outside_layer_slot");
    assert.equal(ev.assign("b", inB, {}, T0).reasons.at(-2), "in_layer_slot");
  });

  test("in_experiment() and semver, date, number comparisons", () => {
    const ws = workspace({
      experiments: [experiment("base"), experiment("follow", { targeting: call("in_experiment", str("base"), str("treatment")) })],
    });
    const ev = build(ws);
    for (let i = 0; i < 50; i++) {
      const u = `x${i}`;
      assert.equal(ev.assign("follow", u, {}, T0).inExperiment, ev.assign("base", u, {}, T0).variant === "treatment");
    }
    const ev2 = build(
      workspace({
        experiments: [
          experiment("s", {
            targeting: and(
              bin(">=", attr("app_version"), call("semver", str("2.10.0"))),
              bin("<", attr("signup_date"), call("date", str("2026-06-01"))),
              bin(">", attr("account_age_days"), num(3)),
            ),
          }),
        ],
      }),
    );
    const good = { app_version: "2.10.1", signup_date: "2026-01-15", account_age_days: 4 };
    assert.equal(ev2.assign("s", "u", good, T0).reasons[2], "targeting_match");
    for (const bad of [
      { app_version: "2.9.9" },
      { app_version: "v2.2.0" },
      { app_version: "garbage" },
      { app_version: 3 },
      { signup_date: "2026-07-01" },
      { signup_date: "not a date" },
      { account_age_days: "10" },
      { account_age_days: undefined },
    ]) {
      assert.equal(ev2.assign("s", "u", { ...good, ...bad }, T0).reasons[2], "targeting_mismatch", JSON.stringify(bad));
    }
    assert.equal(ev2.assign("s", "u", { ...good, app_version: "10.0.0" }, T0).reasons[2], "targeting_match", "semver is not string order");
    assert.equal(
      ev2.assign("s", "u", { ...good, signup_date: new Date("2026-01-15T00:00:00Z") }, T0).reasons[2],
      "targeting_match",
      "Date objects compare too",
    );
  });

  test("an in_experiment() cycle is not enrolled instead of overflowing the stack", () => {
    const ev = build(
      workspace({
        experiments: [
          experiment("a", { targeting: call("in_experiment", str("b")) }),
          experiment("b", { targeting: call("in_experiment", str("a")) }),
        ],
      }),
    );
    assert.equal(ev.assign("a", "u1", {}, T0).inExperiment, false);
  });

  test("matches, not in, starts_with on missing values are false", () => {
    const ev = build(
      workspace({
        experiments: [
          experiment("m", { targeting: and(matches(attr("email"), "^[a-z]+@corp\\.com$"), notIn(attr("country"), str("FR"))) }),
        ],
      }),
    );
    assert.equal(ev.assign("m", "u", { email: "ann@corp.com", country: "US" }, T0).inExperiment, true);
    assert.equal(ev.assign("m", "u", { email: "ann@corp.com", country: "FR" }, T0).inExperiment, false);
    assert.equal(ev.assign("m", "u", { country: "US" }, T0).inExperiment, false);
  });
});

describe("flag evaluation (docs/runtime.md)", () => {
  const ev = build(shopWorkspace());

  test("kill switch serves the default with reason disabled", () => {
    assert.deepEqual(ev.evaluate("legacy_mode", "u1", {}, T0), {
      flag: "legacy_mode",
      value: true,
      variant: "on",
      reason: "disabled",
      rule: null,
    });
  });

  test("a flag whose prerequisite is disabled serves its default", () => {
    // legacy_mode is killed and serves "on", so needs_legacy's prerequisite {variant: off} fails.
    assert.deepEqual(ev.evaluate("needs_legacy", "u1", {}, T0), {
      flag: "needs_legacy",
      value: false,
      variant: "off",
      reason: "prerequisite_failed",
      rule: null,
    });
  });

  test("a prerequisite cycle serves the default instead of overflowing the stack", () => {
    const ruleset = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z" }).value;
    // new_search already requires search_index_v2; validation would refuse the way back.
    ruleset.flags.search_index_v2!.prerequisites = [{ flag: "new_search" }];
    const cyclic = createEvaluator(ruleset);
    assert.equal(cyclic.evaluate("new_search", "u1", { is_employee: true }, T0).reason, "prerequisite_failed");
    assert.equal(cyclic.evaluateAll("u1", { is_employee: true }, T0).flags.new_search!.reason, "prerequisite_failed");
  });

  test("overrides win over rules and prerequisites", () => {
    const r = ev.evaluate("new_search", "user_42", {}, T0);
    assert.deepEqual([r.value, r.reason], [true, "override"]);
  });

  test("prerequisite must evaluate to true", () => {
    const off = unitWhere((u) => bucket("rollout:search_index_v2:all", u) >= 8000);
    assert.equal(ev.evaluate("new_search", off, { is_employee: true }, T0).reason, "prerequisite_failed");
    const on = unitWhere((u) => bucket("rollout:search_index_v2:all", u) < 8000);
    assert.deepEqual(ev.evaluate("new_search", on, { is_employee: true }, T0), {
      flag: "new_search",
      value: true,
      variant: "on",
      reason: "rule_match",
      rule: "staff",
    });
  });

  test("rollout: current step, excluded units get the default, holdout units too", () => {
    const pre = (u: string) => bucket("rollout:search_index_v2:all", u) < 8000 && bucket("holdout:global_2026", u) >= 200;
    const inside = unitWhere((u) => pre(u) && bucket("rollout:new_search:us_rollout", u) < 5000);
    const outside = unitWhere((u) => pre(u) && bucket("rollout:new_search:us_rollout", u) >= 5000);
    assert.deepEqual(ev.evaluate("new_search", inside, { country: "US" }, T0), {
      flag: "new_search",
      value: true,
      variant: "on",
      reason: "rollout",
      rule: "us_rollout",
    });
    assert.deepEqual(ev.evaluate("new_search", outside, { country: "US" }, T0), {
      flag: "new_search",
      value: false,
      variant: "off",
      reason: "rollout_excluded",
      rule: "us_rollout",
    });
    const early = Date.parse("2020-06-02T00:00:00Z");
    const mid = unitWhere(
      (u) => pre(u) && bucket("rollout:new_search:us_rollout", u) >= 1000 && bucket("rollout:new_search:us_rollout", u) < 5000,
    );
    assert.equal(ev.evaluate("new_search", mid, { country: "US" }, early).reason, "rollout_excluded");
    assert.equal(
      ev.evaluate("new_search", mid, { country: "US" }, Date.parse("2020-06-03T00:00:00Z")).reason,
      "rollout",
      "step applies exactly at its time",
    );
    const held = unitWhere((u) => bucket("rollout:search_index_v2:all", u) < 8000 && bucket("holdout:global_2026", u) < 200);
    assert.equal(ev.evaluate("new_search", held, { country: "US" }, T0).reason, "holdout");
  });

  test("experiment-backed rule maps variants; not enrolled falls through to the default", () => {
    const pre = (u: string) => bucket("rollout:search_index_v2:all", u) < 8000 && bucket("holdout:global_2026", u) >= 200;
    const enrolled = unitWhere((u) => pre(u) && bucket("traffic:search_ranker_v2:2", u) < 6000);
    const r = ev.evaluate("new_search", enrolled, { country: "DE" }, T0);
    const v = ev.assign("search_ranker_v2", enrolled, {}, T0).variant!;
    assert.deepEqual([r.reason, r.rule, r.variant], ["experiment", "ab", v === "control" ? "off" : "on"]);
    const notEnrolled = unitWhere((u) => pre(u) && bucket("traffic:search_ranker_v2:2", u) >= 6000);
    assert.deepEqual(ev.evaluate("new_search", notEnrolled, { country: "DE" }, T0), {
      flag: "new_search",
      value: false,
      variant: "off",
      reason: "default",
      rule: null,
    });
  });

  test("typed values: string, number, json; unknown flag", () => {
    assert.equal(ev.evaluate("max_results", "u", { account_age_days: 400, email: "a@b" }, T0).value, 50);
    assert.equal(ev.evaluate("max_results", "u", { account_age_days: 400, email: "tester@b" }, T0).value, 10);
    assert.deepEqual(ev.evaluate("banner", "u", { email: "x@corp.example" }, T0).value, { show: true, text: "Sale", discount: 0.2 });
    assert.equal(ev.evaluate("nope", "u", {}, T0).reason, "flag_not_found");
  });

  test("evaluateAll equals one-by-one evaluation (its memo changes nothing)", async () => {
    const { randomAttributes, randomUnit, rng } = await import("./random-units.js");
    const r = rng(3);
    for (let i = 0; i < 3000; i++) {
      const unit = randomUnit(r, i);
      const attrs = randomAttributes(r);
      const all = ev.evaluateAll(unit, attrs, T0);
      for (const k of Object.keys(ev.ruleset.flags)) assert.deepEqual(all.flags[k], ev.evaluate(k, unit, attrs, T0));
      for (const k of Object.keys(ev.ruleset.experiments)) assert.deepEqual(all.experiments[k], ev.assign(k, unit, attrs, T0));
    }
  });

  test("evaluateAll covers every flag and experiment", () => {
    const all = ev.evaluateAll("u1", { country: "US" }, T0);
    assert.deepEqual(Object.keys(all.flags).sort(), Object.keys(ev.ruleset.flags).sort());
    assert.deepEqual(Object.keys(all.experiments).sort(), Object.keys(ev.ruleset.experiments).sort());
    assert.equal(all.experiments.old_test!.reasons[0], "not_running");
  });
});
