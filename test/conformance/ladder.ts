import type { Ruleset } from "../../src/ruleset/types.js";
import { attr, cmp, experiment, flag, lit, ruleset } from "./ruleset-builder.js";

/**
 * The ruleset of the experiment and flag cases: every rung of both ladders (docs/runtime.md) —
 * statuses, half-open schedules, two holdouts and the exemption, targeting, traffic, a layer with
 * split slot ranges, weights with a zero, experiment QA overrides, overrides under a kill switch, prerequisites by value, by
 * variant, failing, chained and cyclic, rollouts with steps, experiment-backed rules with map and
 * fall-through, in_experiment() and nested segments, and flag values of every type.
 */
export const T_START = "2026-12-01T00:00:00.000Z";
export const T_END = "2026-12-29T00:00:00.000Z";
export const STEPS = ["2026-12-05T00:00:00.000Z", "2026-12-06T12:00:00.000Z", "2026-12-08T00:00:00.000Z"];

const northAmerica = { op: "in" as const, as: "value" as const, arg: attr("country"), values: [lit("US"), lit("CA")] };

export function ladderRuleset(): Ruleset {
  return ruleset({
    attributes: { country: "string", platform: "enum", app_version: "semver", is_employee: "boolean", account_age_days: "number" },
    holdouts: { h1: { traffic: 1000 }, h2: { traffic: 500 } },
    layers: {
      checkout: {
        slots: {
          lay_a: [
            [0, 3000],
            [6000, 7000],
          ],
          lay_b: [[3000, 6000]],
        },
      },
    },
    segments: {
      north_america: northAmerica,
      employees: { op: "or", args: [{ op: "truthy", arg: attr("is_employee") }, cmp("==", attr("country"), lit("XX"))] },
      na_staff: {
        op: "and",
        args: [
          { op: "segment", name: "north_america" },
          { op: "not", arg: { op: "segment", name: "employees" } },
        ],
      },
    },
    experiments: {
      scheduled: experiment({ schedule: { start: T_START, end: T_END } }),
      open_start: experiment({ schedule: { end: T_END } }),
      traffic_25: experiment({
        phase: 3,
        traffic: 2500,
        variants: [
          { key: "control", weight: 3334 },
          { key: "ranker_v2", weight: 3333 },
          { key: "ranker_v3", weight: 3333, config: null },
        ],
      }),
      exempt: experiment({ holdout: false }),
      targeted: experiment({ targeting: { op: "and", args: [northAmerica, cmp("!=", attr("platform"), lit("ios"))] } }),
      lay_a: experiment({ layer: "checkout", traffic: 4000 }),
      lay_b: experiment({ layer: "checkout", traffic: 3000, holdout: false }),
      zero_weight: experiment({
        variants: [
          { key: "never", weight: 0 },
          { key: "always", weight: 10000, config: { n: 1.5, list: [1, "a", null], nested: { "🙂": true } } },
        ],
      }),
      paused: experiment({ status: "paused" }),
      draft: experiment({ status: "draft" }),
      stopped: experiment({ status: "stopped" }),
      archived: experiment({ status: "archived" }),
      follows: experiment({ targeting: { op: "in_experiment", experiment: "traffic_25", variant: "ranker_v2" } }),
      ünïcode_key: experiment({ phase: 2 }),
      // QA overrides win over the schedule, holdouts, targeting and traffic, but not over the status.
      overridden: experiment({
        traffic: 1000,
        schedule: { start: T_START, end: T_END },
        targeting: cmp("==", attr("country"), lit("US")),
        overrides: { user_42: "treatment", Jöhn: "control", "": "treatment" },
      }),
      overridden_paused: experiment({ status: "paused", overrides: { user_42: "treatment" } }),
    },
    flags: {
      killed: flag({
        enabled: false,
        default: "on",
        overrides: { user_42: "off" },
        rules: [{ kind: "serve", name: "all", variant: "off" }],
      }),
      overridden: flag({ overrides: { user_42: "on", Jöhn: "on", "": "on" } }),
      base_on: flag({ default: "on" }),
      color: flag({
        type: "string",
        variants: { red: "red", blue: "blue" },
        default: "blue",
        rules: [{ kind: "serve", name: "us", when: cmp("==", attr("country"), lit("US")), variant: "red" }],
      }),
      needs_base: flag({ prerequisites: [{ flag: "base_on" }], rules: [{ kind: "serve", name: "all", variant: "on" }] }),
      needs_red: flag({ prerequisites: [{ flag: "color", variant: "red" }], rules: [{ kind: "serve", name: "all", variant: "on" }] }),
      needs_killed: flag({ prerequisites: [{ flag: "killed" }], rules: [{ kind: "serve", name: "all", variant: "on" }] }),
      chained: flag({ prerequisites: [{ flag: "needs_red" }, { flag: "base_on" }], default: "on", rules: [] }),
      cycle_a: flag({ prerequisites: [{ flag: "cycle_b" }], default: "on" }),
      cycle_b: flag({ prerequisites: [{ flag: "cycle_a" }], default: "on" }),
      rollout: flag({
        rules: [
          {
            kind: "rollout",
            name: "gradual",
            variant: "on",
            holdout: true,
            steps: STEPS.map((at, i) => ({ at, traffic: [1000, 5000, 10000][i]! })),
          },
        ],
      }),
      rollout_free: flag({
        rules: [
          {
            kind: "rollout",
            name: "free",
            when: { op: "segment", name: "north_america" },
            variant: "on",
            holdout: false,
            steps: [{ at: STEPS[1]!, traffic: 5000 }],
          },
        ],
      }),
      ranker: flag({
        type: "string",
        variants: { off: "classic", ranker_v2: "v2", ranker_v3: "v3" },
        default: "off",
        rules: [{ kind: "experiment", name: "ab", experiment: "traffic_25", map: { control: "off" } }],
      }),
      fall_through: flag({
        type: "number",
        variants: { few: 10, many: 50, huge: 1e21 },
        default: "few",
        rules: [
          {
            kind: "experiment",
            name: "ab",
            when: cmp("!=", attr("platform"), lit("web")),
            experiment: "scheduled",
            map: { control: "few", treatment: "many" },
          },
          { kind: "serve", name: "staff", when: { op: "segment", name: "employees" }, variant: "huge" },
        ],
      }),
      in_exp: flag({
        rules: [
          { kind: "serve", name: "treated", when: { op: "in_experiment", experiment: "scheduled", variant: "treatment" }, variant: "on" },
          { kind: "serve", name: "enrolled", when: { op: "in_experiment", experiment: "lay_a" }, variant: "on" },
        ],
      }),
      qa_layout: flag({
        type: "string",
        variants: { control: "classic", treatment: "new" },
        default: "control",
        rules: [{ kind: "experiment", name: "ab", experiment: "overridden", map: {} }],
      }),
      segments: flag({
        type: "json",
        variants: { none: { show: false }, sale: { show: true, text: "Sale", discount: 0.2 } },
        default: "none",
        rules: [{ kind: "serve", name: "na_staff", when: { op: "segment", name: "na_staff" }, variant: "sale" }],
      }),
    },
  });
}
