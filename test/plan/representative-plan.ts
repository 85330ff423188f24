import { SourceFile } from "../../src/diagnostics/source.js";
import { diffRulesets, summarise } from "../../src/plan/diff.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../../src/plan/model.js";
import type { Operand, RulesetRule } from "../../src/ruleset/types.js";
import { smallRuleset } from "../runtime/server/fixture.js";

const attr = (name: string): Operand => ({ op: "attr", name });
const lit = (value: string | number | boolean): Operand => ({ op: "lit", value });

/**
 * A representative plan: a weight change with its exact reassignment, a create, a delete, a replace,
 * a targeting change (shown as its expression), a rollout whose steps change (a structural diff in
 * percent), a segment edit, checks and drift.
 */
export function representativePlan(): Plan {
  const before = smallRuleset(3);
  before.experiments.old_banner = { ...before.experiments.checkout_redesign!, targeting: undefined };
  before.experiments.search_ranker_v2 = { ...before.experiments.checkout_redesign!, targeting: undefined };
  before.experiments.onboarding_tips = { ...before.experiments.checkout_redesign!, traffic: 2500 };
  before.segments.employees = {
    op: "or",
    args: [
      { op: "truthy", arg: attr("is_employee") },
      { op: "==", as: "value", args: [attr("country"), lit("XX")] },
    ],
  };
  const rollout = (steps: [string, number][], platforms: string[]): RulesetRule => ({
    kind: "rollout",
    name: "gradual",
    when: { op: "in", as: "value", arg: attr("platform"), values: platforms.map(lit) },
    variant: "on",
    holdout: true,
    steps: steps.map(([at, traffic]) => ({ at, traffic })),
  });
  before.flags.new_search!.rules = [
    rollout(
      [
        ["2026-11-01T00:00:00Z", 1000],
        ["2026-11-08T00:00:00Z", 5000],
      ],
      ["web"],
    ),
  ];
  const after = smallRuleset(4, [8000, 2000]);
  after.experiments.search_ranker_v2 = { ...before.experiments.search_ranker_v2, phase: 2 };
  after.experiments.onboarding_tips = {
    ...before.experiments.onboarding_tips,
    targeting: {
      op: "and",
      args: [
        { op: "in", as: "value", arg: attr("country"), values: [lit("US"), lit("CA")] },
        { op: ">=", as: "semver", args: [attr("app_version"), lit("2.0.0")] },
        { op: "not", arg: { op: "segment", name: "employees" } },
      ],
    },
  };
  after.segments.employees = {
    op: "or",
    args: [
      { op: "truthy", arg: attr("is_employee") },
      { op: "ends_with", args: [attr("email"), lit("@corp.example")] },
    ],
  };
  after.flags.new_search!.rules = [
    rollout(
      [
        ["2026-11-01T00:00:00Z", 1000],
        ["2026-11-05T00:00:00Z", 2500],
        ["2026-11-08T00:00:00Z", 5000],
      ],
      ["web", "ios"],
    ),
  ];
  after.flags.dark_mode = {
    type: "boolean",
    enabled: false,
    variants: { on: true, off: false },
    default: "off",
    prerequisites: [],
    overrides: {},
    rules: [],
  };
  const changes = diffRulesets(before, after);
  const experiments = new SourceFile(
    "experiments/checkout_redesign.yaml",
    "experiment: checkout_redesign\nvariants:\n  control:  { weight: 80 }\n  one_page: { weight: 20 }\n",
  );
  const diagnostic = {
    code: "EXP4001",
    severity: "error" as const,
    message:
      'Changing "variants" of running experiment "checkout_redesign" would switch 30.00% of its enrolled units to another variant; bump "phase" to re-randomise on purpose, or keep the weights.',
    file: experiments.path,
    line: 3,
    column: 3,
    endLine: 4,
    endColumn: 28,
    suggestion: "set phase: 2",
  };
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    basedOnVersion: 3,
    basedOnChecksum: before.checksum,
    desiredChecksum: "c0ffee".repeat(10) + "c0ff",
    sourceCommit: "0123456789abcdef0123456789abcdef01234567",
    changes,
    checks: [
      { name: "reassignment", status: "failed", diagnostics: [diagnostic] },
      { name: "collision", status: "passed", diagnostics: [] },
      {
        name: "guardrails",
        status: "warned",
        diagnostics: [
          {
            code: "EXP4131",
            severity: "warning",
            message: 'Running experiment "search_ranker_v2" names no guardrail metric; add one under metrics.guardrails.',
            file: "experiments/search_ranker_v2.yaml",
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 11,
          },
        ],
      },
    ],
    drift: {
      version: 3,
      cause: "exp rollback by alice at 2026-11-20T10:00:00.000Z, from v4",
      reconcile: "run `exp apply` to publish what git says, or change git to match v3.",
    },
    summary: summarise(changes),
    exitCode: 1,
  };
}
