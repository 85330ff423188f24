import { bucketerFor, pickIndex } from "../ruleset/hash.js";
import { compileCondition, type Attributes, type ConditionScope, type Test } from "./condition.js";
import type { Ruleset, RulesetExperiment, RulesetFlag, RulesetRule } from "../ruleset/types.js";
import type { AssignmentReason, AssignmentResult, EvaluateAllResult, FlagReason, FlagResult } from "./result.js";

/**
 * Turns a ruleset into closures once; evaluation then only hashes and walks precomputed arrays.
 * Flag results and reason lists are precomputed, frozen and shared, so a flag evaluation allocates
 * nothing and an assignment allocates its result object only. Time is injectable (`at`, ms since epoch).
 */
export interface Evaluator {
  readonly ruleset: Ruleset;
  assign(experiment: string, unit: string, attrs?: Attributes, at?: number): AssignmentResult;
  evaluate(flag: string, unit: string, attrs?: Attributes, at?: number): FlagResult;
  evaluateAll(unit: string, attrs?: Attributes, at?: number): EvaluateAllResult;
  hasExperiment(key: string): boolean;
  hasFlag(key: string): boolean;
}

type Assign = (unit: string, attrs: Attributes, at: number) => AssignmentResult;
type Evaluate = (unit: string, attrs: Attributes, at: number) => FlagResult;

const EMPTY: Attributes = Object.freeze({});
const MAX_PREREQUISITE_DEPTH = 32;

function time(s: string | undefined, fallback: number): number {
  if (s === undefined) return fallback;
  const t = Date.parse(s);
  return Number.isNaN(t) ? fallback : t;
}

const frozen = <T>(xs: T[]): readonly T[] => Object.freeze(xs);

export function createEvaluator(ruleset: Ruleset): Evaluator {
  const segments = new Map<string, Test>();
  const assigners = new Map<string, Assign>();
  const evaluators = new Map<string, Evaluate>();
  let depth = 0;
  // Within one evaluateAll, experiment and flag results are computed once and reused by
  // experiment-backed rules, in_experiment() and prerequisites.
  let memoOn = false;
  let memoUnit = "";
  let memoAttrs: Attributes = EMPTY;
  let memoAt = 0;
  const experimentIndex = new Map(Object.keys(ruleset.experiments).map((k, i) => [k, i]));
  const flagIndex = new Map(Object.keys(ruleset.flags).map((k, i) => [k, i]));
  const memoAssign: (AssignmentResult | undefined)[] = new Array(experimentIndex.size).fill(undefined);
  const memoFlag: (FlagResult | undefined)[] = new Array(flagIndex.size).fill(undefined);
  const assignerList: Assign[] = [];
  const evaluatorList: Evaluate[] = [];
  const memoHit = (unit: string, attrs: Attributes, at: number): boolean =>
    memoOn && unit === memoUnit && attrs === memoAttrs && at === memoAt;
  const assignAt = (i: number, unit: string, attrs: Attributes, at: number): AssignmentResult => {
    if (memoHit(unit, attrs, at)) return (memoAssign[i] ??= assignerList[i]!(unit, attrs, at));
    return assignerList[i]!(unit, attrs, at);
  };
  const flagAt = (i: number, unit: string, attrs: Attributes, at: number): FlagResult => {
    if (memoHit(unit, attrs, at)) return (memoFlag[i] ??= evaluatorList[i]!(unit, attrs, at));
    return evaluatorList[i]!(unit, attrs, at);
  };
  const assignOf = (experiment: string, unit: string, attrs: Attributes, at: number): AssignmentResult | undefined => {
    const i = experimentIndex.get(experiment);
    return i === undefined ? undefined : assignAt(i, unit, attrs, at);
  };

  const scope: ConditionScope = {
    segment(name) {
      let t = segments.get(name);
      if (!t) {
        const c = ruleset.segments[name];
        // An unknown segment is false rather than a throw: validation reports it before publishing.
        t = c ? compileCondition(c, scope) : () => false;
        segments.set(name, t);
      }
      return t;
    },
    variantOf(experiment, unit, attrs, at) {
      // Guards against in_experiment() cycles that slipped past validation: not enrolled, no stack overflow.
      if (depth >= MAX_PREREQUISITE_DEPTH) return null;
      depth++;
      try {
        return assignOf(experiment, unit, attrs, at)?.variant ?? null;
      } finally {
        depth--;
      }
    },
  };

  const holdouts = Object.entries(ruleset.holdouts).map(([key, h]) => ({
    bucketOf: bucketerFor(`holdout:${key}`),
    traffic: h.traffic,
    reason: `in_holdout:${key}` as AssignmentReason,
  }));
  /** The holdout a unit falls in (index), or -1. */
  // One-entry cache: experiments and rollouts of one evaluation all ask about the same unit.
  let holdoutUnit: string | undefined;
  let holdoutIndex = -1;
  const holdoutOf = (unit: string): number => {
    if (unit === holdoutUnit) return holdoutIndex;
    let found = -1;
    for (let i = 0; i < holdouts.length; i++) {
      if (holdouts[i]!.bucketOf(unit) < holdouts[i]!.traffic) {
        found = i;
        break;
      }
    }
    holdoutUnit = unit;
    holdoutIndex = found;
    return found;
  };

  for (const [key, e] of Object.entries(ruleset.experiments)) {
    const a = compileExperiment(key, e);
    assigners.set(key, a);
    assignerList.push(a);
  }
  for (const [key, f] of Object.entries(ruleset.flags)) {
    const ev = compileFlag(key, f);
    evaluators.set(key, ev);
    evaluatorList.push(ev);
  }

  function compileExperiment(key: string, e: RulesetExperiment): Assign {
    const miss = (unit: string, reasons: readonly AssignmentReason[], b: number | null = null): AssignmentResult => ({
      experiment: key,
      variant: null,
      config: null,
      inExperiment: false,
      reasons,
      bucket: b,
      hashKey: unit,
    });
    if (e.status !== "running") {
      const r = frozen<AssignmentReason>(["not_running"]);
      return (unit) => miss(unit, r);
    }
    const start = time(e.schedule.start, -Infinity);
    const end = time(e.schedule.end, Infinity);
    const before = frozen<AssignmentReason>(["running", "before_schedule"]);
    const after = frozen<AssignmentReason>(["running", "after_schedule"]);
    const step1: AssignmentReason[] = ["running"];
    const inHoldout = holdouts.map((h) => frozen<AssignmentReason>([...step1, h.reason]));
    const step2 = [...step1, e.holdout ? "not_in_holdout" : "holdout_exempt"] as AssignmentReason[];
    const checkHoldout = e.holdout && holdouts.length > 0;
    const targeting = compileCondition(e.targeting, scope);
    const hasTargeting = e.targeting !== undefined;
    const mismatch = frozen<AssignmentReason>([...step2, "targeting_mismatch"]);
    const step3 = [...step2, "targeting_match"] as AssignmentReason[];
    const layered = e.layer !== undefined;
    const ranges = layered ? (ruleset.layers[e.layer!]?.slots[key] ?? []) : [];
    const flatRanges = ranges.flat();
    const trafficBucket = bucketerFor(layered ? `layer:${e.layer}` : `traffic:${key}:${e.phase}`);
    const trafficMiss = frozen<AssignmentReason>([...step3, layered ? "outside_layer_slot" : "outside_traffic"]);
    const step4 = [...step3, layered ? "in_layer_slot" : "in_traffic"] as AssignmentReason[];
    const traffic = e.traffic;
    const variantBucket = bucketerFor(`variant:${key}:${e.phase}`);
    const weights = e.variants.map((v) => v.weight);
    const picked = e.variants.map((v) => ({
      key: v.key,
      config: v.config ?? null,
      reasons: frozen<AssignmentReason>([...step4, `variant:${v.key}`]),
    }));
    const noVariant = frozen<AssignmentReason>([...step4, "no_variant"]);

    return (unit, attrs, at) => {
      if (at < start) return miss(unit, before);
      if (at >= end) return miss(unit, after);
      if (checkHoldout) {
        const h = holdoutOf(unit);
        if (h >= 0) return miss(unit, inHoldout[h]!);
      }
      if (hasTargeting && !targeting(unit, attrs, at)) return miss(unit, mismatch);
      const tb = trafficBucket(unit);
      if (layered) {
        let inside = false;
        for (let i = 0; i < flatRanges.length; i += 2) {
          if (tb >= flatRanges[i]! && tb < flatRanges[i + 1]!) {
            inside = true;
            break;
          }
        }
        if (!inside) return miss(unit, trafficMiss, null);
      } else if (tb >= traffic) return miss(unit, trafficMiss, null);
      const vb = variantBucket(unit);
      const i = pickIndex(weights, vb);
      if (i < 0) return miss(unit, noVariant, vb);
      const v = picked[i]!;
      return { experiment: key, variant: v.key, config: v.config, inExperiment: true, reasons: v.reasons, bucket: vb, hashKey: unit };
    };
  }

  function compileFlag(key: string, f: RulesetFlag): Evaluate {
    const results = new Map<string, FlagResult>();
    const result = (variant: string, reason: FlagReason, rule: string | null): FlagResult => {
      const id = `${variant}\u0000${reason}\u0000${rule ?? ""}`;
      let r = results.get(id);
      if (!r) {
        r = Object.freeze({ flag: key, value: f.variants[variant] ?? null, variant, reason, rule });
        results.set(id, r);
      }
      return r;
    };
    const fallback = result(f.default, "default", null);
    if (!f.enabled) {
      const r = result(f.default, "disabled", null);
      return () => r;
    }
    const overrides = new Map(Object.entries(f.overrides).map(([unit, v]) => [unit, result(v, "override", null)]));
    const prerequisiteFailed = result(f.default, "prerequisite_failed", null);
    const prerequisites = f.prerequisites.map((p) => ({ index: flagIndex.get(p.flag), variant: p.variant }));
    const rules = f.rules.map((r) => compileRule(r, result, f.default, key));

    return (unit, attrs, at) => {
      if (overrides.size > 0) {
        const o = overrides.get(unit);
        if (o) return o;
      }
      for (const p of prerequisites) {
        if (p.index === undefined || depth >= MAX_PREREQUISITE_DEPTH) return prerequisiteFailed;
        depth++;
        let r: FlagResult;
        try {
          r = flagAt(p.index, unit, attrs, at);
        } finally {
          depth--;
        }
        if (p.variant !== undefined ? r.variant !== p.variant : r.value !== true) return prerequisiteFailed;
      }
      for (const rule of rules) {
        const r = rule(unit, attrs, at);
        if (r) return r;
      }
      return fallback;
    };
  }

  function compileRule(
    r: RulesetRule,
    result: (variant: string, reason: FlagReason, rule: string | null) => FlagResult,
    defaultVariant: string,
    flagKey: string,
  ): (unit: string, attrs: Attributes, at: number) => FlagResult | undefined {
    const when = compileCondition(r.when, scope);
    switch (r.kind) {
      case "serve": {
        const hit = result(r.variant, "rule_match", r.name);
        return (u, a, t) => (when(u, a, t) ? hit : undefined);
      }
      case "rollout": {
        const steps = r.steps.map((s) => ({ at: time(s.at, Infinity), traffic: s.traffic })).sort((x, y) => x.at - y.at);
        const rolloutBucket = bucketerFor(`rollout:${flagKey}:${r.name}`);
        const hit = result(r.variant, "rollout", r.name);
        const excluded = result(defaultVariant, "rollout_excluded", r.name);
        const held = result(defaultVariant, "holdout", r.name);
        const checkHoldout = r.holdout && holdouts.length > 0;
        return (u, a, t) => {
          if (!when(u, a, t)) return undefined;
          if (checkHoldout && holdoutOf(u) >= 0) return held;
          let traffic = 0;
          for (let i = steps.length - 1; i >= 0; i--) {
            if (steps[i]!.at <= t) {
              traffic = steps[i]!.traffic;
              break;
            }
          }
          return rolloutBucket(u) < traffic ? hit : excluded;
        };
      }
      case "experiment": {
        const map = r.map;
        const name = r.name;
        const byVariant = new Map<string, FlagResult>();
        const index = experimentIndex.get(r.experiment);
        if (index === undefined) return () => undefined;
        return (u, a, t) => {
          if (!when(u, a, t)) return undefined;
          const v = assignAt(index, u, a, t).variant;
          if (v === null) return undefined;
          let hit = byVariant.get(v);
          if (!hit) {
            hit = result(map[v] ?? v, "experiment", name);
            byVariant.set(v, hit);
          }
          return hit;
        };
      }
    }
  }

  const experimentKeys = [...experimentIndex.keys()].sort();
  const experimentSlots = experimentKeys.map((k) => experimentIndex.get(k)!);
  const flagKeys = [...flagIndex.keys()].sort();
  const flagSlots = flagKeys.map((k) => flagIndex.get(k)!);
  const experimentTemplate = Object.fromEntries(experimentKeys.map((k) => [k, null]));
  const flagTemplate = Object.fromEntries(flagKeys.map((k) => [k, null]));

  return {
    ruleset,
    assign(experiment, unit, attrs = EMPTY, at = Date.now()) {
      const a = assigners.get(experiment);
      if (!a) return { experiment, variant: null, config: null, inExperiment: false, reasons: NOT_FOUND, bucket: null, hashKey: unit };
      return a(unit, attrs, at);
    },
    evaluate(flag, unit, attrs = EMPTY, at = Date.now()) {
      const e = evaluators.get(flag);
      if (!e) return { flag, value: null, variant: null, reason: "flag_not_found", rule: null };
      return e(unit, attrs, at);
    },
    evaluateAll(unit, attrs = EMPTY, at = Date.now()) {
      // Cloning a template gives every result object its final shape at once (no per-key transitions).
      const experiments = { ...experimentTemplate } as unknown as Record<string, AssignmentResult>;
      const flags = { ...flagTemplate } as unknown as Record<string, FlagResult>;
      memoOn = true;
      memoUnit = unit;
      memoAttrs = attrs;
      memoAt = at;
      try {
        for (let j = 0; j < experimentKeys.length; j++) experiments[experimentKeys[j]!] = assignAt(experimentSlots[j]!, unit, attrs, at);
        for (let j = 0; j < flagKeys.length; j++) flags[flagKeys[j]!] = flagAt(flagSlots[j]!, unit, attrs, at);
      } finally {
        memoOn = false;
        memoAssign.fill(undefined);
        memoFlag.fill(undefined);
      }
      return { experiments, flags };
    },
    hasExperiment: (k) => assigners.has(k),
    hasFlag: (k) => evaluators.has(k),
  };
}

const NOT_FOUND = frozen<AssignmentReason>(["experiment_not_found"]);
