import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { BASIS_POINTS } from "../../ruleset/hash.js";
import type { Ruleset, RulesetExperiment, RulesetFlag, RulesetRule } from "../../ruleset/types.js";
import { RULESET_CODES } from "./codes.js";
import { toLogic, type Logic, type LogicScope } from "./flagd-condition.js";

/**
 * Ruleset → OpenFeature flagd flag definitions (https://flagd.dev/schema/v0/flags.json) that evaluate
 * identically (docs/hashing.md "flagd export"). Every bucketing decision is a `fractional` over
 * "<seed>/" + targetingKey with integer basis-point weights; time (schedules, rollout steps) reads
 * `$flagd.timestamp`, which is whole seconds; experiments and prerequisites are inlined as nested ifs.
 * Experiments are not flags in flagd: their effect through experiment-backed flag rules is exported, and
 * an experiment whose variants carry a url (split-URL) also becomes an object flag of its own key whose
 * values are the variants' urls and configs (docs/runtime.md#flagd).
 */
export interface FlagdDocument {
  $schema: string;
  flags: Record<string, { state: "ENABLED" | "DISABLED"; variants: Record<string, unknown>; defaultVariant: string; targeting?: Logic }>;
}

const TIMESTAMP = { var: "$flagd.timestamp" };

const fractional = (seed: string, buckets: [string, number][]): Logic => ({
  fractional: [{ cat: [`${seed}/`, { var: "targetingKey" }] }, ...buckets],
});

/** true when the unit's bucket for `seed` is in one of the ranges. */
function inRanges(seed: string, ranges: [number, number][]): Logic {
  const width = ranges.reduce((a, [s, e]) => a + (e - s), 0);
  if (width <= 0) return false;
  if (width >= BASIS_POINTS) return true;
  const buckets: [string, number][] = [];
  let at = 0;
  for (const [s, e] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (s > at) buckets.push(["out", s - at]);
    buckets.push(["in", e - s]);
    at = e;
  }
  if (at < BASIS_POINTS) buckets.push(["out", BASIS_POINTS - at]);
  return { "===": [fractional(seed, buckets), "in"] };
}

/**
 * A split-URL experiment as a flagd object flag: each variant's value is its config's members with
 * `url` (a config that is not an object sits under `config`); units the experiment does not enrol
 * get the extra variant "not_enrolled" (underscores appended if a variant has that key), `{url: null}`.
 */
function splitUrlFlag(e: RulesetExperiment, eligible: Logic, pick: Logic): FlagdDocument["flags"][string] {
  let none = "not_enrolled";
  while (e.variants.some((v) => v.key === none)) none += "_";
  const variants: Record<string, unknown> = {};
  for (const v of e.variants) {
    const url = v.url ?? null;
    const c = v.config;
    variants[v.key] =
      c !== null && typeof c === "object" && !Array.isArray(c)
        ? { ...c, url }
        : c === undefined || c === null
          ? { url }
          : { url, config: c };
  }
  variants[none] = { url: null };
  const flag: FlagdDocument["flags"][string] = { state: "ENABLED", variants, defaultVariant: none };
  if (eligible !== false) flag.targeting = eligible === true ? pick : { if: [eligible, pick, none] };
  return flag;
}

export function exportFlagd(ruleset: Ruleset): { document: FlagdDocument; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const report = (code: "exportUnsupported" | "exportApproximated" | "exportSkipped", message: string): void => {
    if (reported.has(message)) return;
    reported.add(message);
    diagnostics.push(diagnostic(RULESET_CODES[code], message));
  };
  let where = "";

  const seconds = (iso: string, what: string): number => {
    const ms = Date.parse(iso);
    if (ms % 1000 !== 0)
      report(
        "exportApproximated",
        `${where}: ${what} "${iso}" is not a whole second; flagd compares whole seconds, so the export differs within that second.`,
      );
    return Math.ceil(ms / 1000);
  };

  const inHoldout = (): Logic => {
    const hs = Object.entries(ruleset.holdouts).filter(([, h]) => h.traffic > 0);
    if (hs.length === 0) return false;
    const tests = hs.map(([key, h]) => inRanges(`holdout:${key}`, [[0, h.traffic]]));
    return tests.length === 1 ? tests[0] : { or: tests };
  };

  /** While a split-URL flag is built, what flagd cannot express is collected here instead of refusing the export. */
  let collected: string[] | null = null;
  const scope: LogicScope = {
    ruleset,
    unsupported: (what) =>
      collected
        ? collected.push(what)
        : report(
            "exportUnsupported",
            `${where}: ${what} cannot be expressed in flagd; change the rule or keep this flag on the exp runtime.`,
          ),
    assignment: (experiment) => {
      const e = eligibility(experiment);
      return e === false ? null : { if: [e, variantPick(experiment, (v) => v), null] };
    },
  };

  const experimentStack: string[] = [];
  /** JSON Logic that is true when the unit is enrolled in the experiment (before the variant pick). */
  function eligibility(key: string): Logic {
    const e = ruleset.experiments[key];
    if (!e || e.status !== "running" || experimentStack.includes(key)) return false;
    experimentStack.push(key);
    try {
      const parts: Logic[] = [];
      if (e.schedule.start) parts.push({ ">=": [TIMESTAMP, seconds(e.schedule.start, `experiment "${key}" start`)] });
      if (e.schedule.end) parts.push({ "<": [TIMESTAMP, seconds(e.schedule.end, `experiment "${key}" end`)] });
      if (e.holdout) {
        const h = inHoldout();
        if (h !== false) parts.push({ "!": h });
      }
      if (e.targeting) parts.push(toLogic(e.targeting, scope));
      if (e.layer !== undefined) parts.push(inRanges(`layer:${e.layer}`, ruleset.layers[e.layer]?.slots[key] ?? []));
      else parts.push(inRanges(`traffic:${key}:${e.phase}`, [[0, e.traffic]]));
      const kept = parts.filter((p) => p !== true);
      if (kept.includes(false)) return false;
      return kept.length === 0 ? true : kept.length === 1 ? kept[0] : { and: kept };
    } finally {
      experimentStack.pop();
    }
  }

  function variantPick(key: string, name: (v: string) => string): Logic {
    const e = ruleset.experiments[key]!;
    return fractional(
      `variant:${key}:${e.phase}`,
      e.variants.map((v) => [name(v.key), v.weight]),
    );
  }

  const flagStack: string[] = [];
  /** JSON Logic yielding the flag's variant name for the unit. */
  function flagLogic(key: string): Logic {
    const f = ruleset.flags[key];
    if (!f) return null;
    if (!f.enabled) return f.default;
    if (flagStack.includes(key)) return f.default;
    flagStack.push(key);
    const outer = where;
    try {
      const chain: Logic[] = [];
      const byVariant = new Map<string, string[]>();
      for (const [unit, v] of Object.entries(f.overrides)) byVariant.set(v, [...(byVariant.get(v) ?? []), unit]);
      for (const [v, units] of byVariant) chain.push({ in: [{ var: "targetingKey" }, units] }, v);
      for (const p of f.prerequisites) {
        where = `flag "${key}" prerequisite "${p.flag}"`;
        chain.push({ "!": prerequisite(p) }, f.default);
      }
      for (const r of f.rules) {
        where = `flag "${key}" rule "${r.name}"`;
        chain.push(...rule(key, f, r));
      }
      chain.push(f.default);
      return chain.length === 1 ? chain[0] : { if: chain };
    } finally {
      where = outer;
      flagStack.pop();
    }
  }

  function prerequisite(p: RulesetFlag["prerequisites"][number]): Logic {
    const target = ruleset.flags[p.flag];
    if (!target) return false;
    const v = flagLogic(p.flag);
    if (p.variant !== undefined) return { "===": [v, p.variant] };
    const truthy = Object.entries(target.variants)
      .filter(([, value]) => value === true)
      .map(([k]) => k);
    return { in: [v, truthy] };
  }

  function rule(flagKey: string, f: RulesetFlag, r: RulesetRule): Logic[] {
    const when = toLogic(r.when, scope);
    switch (r.kind) {
      case "serve":
        return [when, r.variant];
      case "rollout": {
        const seed = `rollout:${flagKey}:${r.name}`;
        // A gated step not yet taken by exp serve is never in force here either.
        const steps = r.steps
          .flatMap((s) => (s.at !== undefined ? [{ ...s, at: s.at }] : []))
          .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
        const chain: Logic[] = [];
        for (let i = steps.length - 1; i >= 0; i--)
          chain.push({ ">=": [TIMESTAMP, seconds(steps[i]!.at, "rollout step")] }, inRanges(seed, [[0, steps[i]!.traffic]]));
        chain.push(false);
        const included = chain.length === 1 ? false : { if: chain };
        const decide: Logic[] = [];
        if (r.holdout) {
          const h = inHoldout();
          if (h !== false) decide.push(h, f.default);
        }
        decide.push(included, r.variant, f.default);
        return [when, { if: decide }];
      }
      case "experiment": {
        const e = ruleset.experiments[r.experiment];
        const eligible = e ? eligibility(r.experiment) : false;
        if (eligible === false) return [];
        const cond = when === true ? eligible : eligible === true ? when : { and: [when, eligible] };
        return [cond, variantPick(r.experiment, (v) => r.map[v] ?? v)];
      }
    }
  }

  const flags: FlagdDocument["flags"] = {};
  for (const key of Object.keys(ruleset.flags).sort()) {
    const f = ruleset.flags[key]!;
    where = `flag "${key}"`;
    if (f.type === "json") {
      for (const [v, value] of Object.entries(f.variants))
        if (value === null || typeof value !== "object" || Array.isArray(value))
          report("exportUnsupported", `flag "${key}" variant "${v}": flagd object flags need object values; wrap the value in an object.`);
    }
    const targeting = flagLogic(key);
    flags[key] = { state: "ENABLED", variants: f.variants, defaultVariant: f.default };
    if (targeting !== f.default) flags[key]!.targeting = targeting;
  }

  // Split-URL experiments were not exported before: one flagd cannot express, or whose key a flag
  // already has, is left out with a warning rather than refusing an export that used to succeed.
  for (const key of Object.keys(ruleset.experiments).sort()) {
    const e = ruleset.experiments[key]!;
    if (!e.variants.some((v) => v.url !== undefined)) continue;
    where = `experiment "${key}"`;
    if (flags[key]) {
      report("exportSkipped", `${where}: a flag has the same key, so its variant urls are not exported to flagd; rename one of them.`);
      continue;
    }
    collected = [];
    const eligible = eligibility(key);
    const missed: string[] = collected;
    collected = null;
    if (missed.length > 0) {
      report(
        "exportSkipped",
        `${where}: ${missed[0]} cannot be expressed in flagd, so its variant urls are not exported; keep split-URL delivery on the exp runtime.`,
      );
      continue;
    }
    flags[key] = splitUrlFlag(
      e,
      eligible,
      variantPick(key, (v) => v),
    );
  }
  return { document: { $schema: "https://flagd.dev/schema/v0/flags.json", flags }, diagnostics };
}
