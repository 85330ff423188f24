import { bucketerFor } from "../ruleset/hash.js";
import type { Ruleset } from "../ruleset/types.js";
import { compileCondition, type Attributes, type ConditionScope, type Test } from "./condition.js";
import type { AssignmentReason, AssignmentResult, FlagResult } from "./result.js";

/** A compiled experiment: the unit's assignment at time `at`. */
export type Assign = (unit: string, attrs: Attributes, at: number) => AssignmentResult;
/** A compiled flag: the unit's value at time `at`. */
export type Evaluate = (unit: string, attrs: Attributes, at: number) => FlagResult;

export const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** Longer chains of prerequisites or in_experiment() are cycles that slipped past validation. */
const MAX_REFERENCE_DEPTH = 32;

export interface Holdout {
  bucketOf: (unit: string) => number;
  /** Basis points of units held out. */
  traffic: number;
  reason: AssignmentReason;
}

/**
 * What the compiled experiments, flags and conditions of one evaluator share: the slots through
 * which one asks another (an experiment-backed rule, a prerequisite, in_experiment()), the
 * holdouts, the compiled segments, the guard against reference cycles, and the memo that makes
 * evaluateAll compute each experiment and flag once.
 *
 * Experiments and flags are compiled after the scope exists and pushed into `assigners` and
 * `evaluators`, so they can refer to each other in any order.
 */
export class EvaluationScope implements ConditionScope {
  /** Experiment key → its index in `assigners`. */
  readonly experimentSlots: Map<string, number>;
  /** Flag key → its index in `evaluators`. */
  readonly flagSlots: Map<string, number>;
  readonly assigners: Assign[] = [];
  readonly evaluators: Evaluate[] = [];
  readonly holdouts: readonly Holdout[];
  /**
   * The session id of the call being answered, which session experiments hash instead of the unit
   * (unit-ids.ts). Set by the evaluator at the start of every call; evaluation is synchronous.
   */
  session: string | undefined = undefined;
  private readonly segments = new Map<string, Test>();
  private depth = 0;
  // Within one evaluateAll (the memo is open), results are computed once and reused.
  private memoOpen = false;
  private memoUnit = "";
  private memoAttrs: Attributes = NO_ATTRIBUTES;
  private memoAt = 0;
  private readonly memoAssign: (AssignmentResult | undefined)[];
  private readonly memoFlag: (FlagResult | undefined)[];
  // One-entry holdout cache: experiments and rollouts of one evaluation all ask about the same unit.
  private holdoutUnit: string | undefined = undefined;
  private holdoutIndex = -1;

  constructor(readonly ruleset: Ruleset) {
    this.experimentSlots = new Map(Object.keys(ruleset.experiments).map((k, i) => [k, i]));
    this.flagSlots = new Map(Object.keys(ruleset.flags).map((k, i) => [k, i]));
    this.memoAssign = new Array(this.experimentSlots.size).fill(undefined);
    this.memoFlag = new Array(this.flagSlots.size).fill(undefined);
    this.holdouts = Object.entries(ruleset.holdouts).map(([key, h]) => ({
      bucketOf: bucketerFor(`holdout:${key}`),
      traffic: h.traffic,
      reason: `in_holdout:${key}` as AssignmentReason,
    }));
  }

  segment(name: string): Test {
    let t = this.segments.get(name);
    if (!t) {
      const c = this.ruleset.segments[name];
      // An unknown segment is false rather than a throw: validation reports it before publishing.
      t = c ? compileCondition(c, this) : () => false;
      this.segments.set(name, t);
    }
    return t;
  }

  variantOf(experiment: string, unit: string, attrs: Attributes, at: number): string | null {
    const i = this.experimentSlots.get(experiment);
    // A cycle that slipped past validation is "not enrolled", not a stack overflow.
    if (i === undefined || this.depth >= MAX_REFERENCE_DEPTH) return null;
    this.depth++;
    try {
      return this.assignAt(i, unit, attrs, at).variant;
    } finally {
      this.depth--;
    }
  }

  /** The prerequisite flag in `slot`, or undefined when the chain of prerequisites is too deep (a cycle). */
  prerequisite(slot: number, unit: string, attrs: Attributes, at: number): FlagResult | undefined {
    if (this.depth >= MAX_REFERENCE_DEPTH) return undefined;
    this.depth++;
    try {
      return this.flagAt(slot, unit, attrs, at);
    } finally {
      this.depth--;
    }
  }

  assignAt(slot: number, unit: string, attrs: Attributes, at: number): AssignmentResult {
    if (this.memoHit(unit, attrs, at)) return (this.memoAssign[slot] ??= this.assigners[slot]!(unit, attrs, at));
    return this.assigners[slot]!(unit, attrs, at);
  }

  flagAt(slot: number, unit: string, attrs: Attributes, at: number): FlagResult {
    if (this.memoHit(unit, attrs, at)) return (this.memoFlag[slot] ??= this.evaluators[slot]!(unit, attrs, at));
    return this.evaluators[slot]!(unit, attrs, at);
  }

  /** The index of the holdout the unit falls in, or -1. */
  holdoutOf(unit: string): number {
    if (unit === this.holdoutUnit) return this.holdoutIndex;
    let found = -1;
    for (let i = 0; i < this.holdouts.length; i++) {
      if (this.holdouts[i]!.bucketOf(unit) < this.holdouts[i]!.traffic) {
        found = i;
        break;
      }
    }
    this.holdoutUnit = unit;
    this.holdoutIndex = found;
    return found;
  }

  /** From here to closeMemo, each experiment and flag is computed at most once for this unit, attributes and time. */
  openMemo(unit: string, attrs: Attributes, at: number): void {
    this.memoOpen = true;
    this.memoUnit = unit;
    this.memoAttrs = attrs;
    this.memoAt = at;
  }

  closeMemo(): void {
    this.memoOpen = false;
    this.memoAssign.fill(undefined);
    this.memoFlag.fill(undefined);
  }

  private memoHit(unit: string, attrs: Attributes, at: number): boolean {
    return this.memoOpen && unit === this.memoUnit && attrs === this.memoAttrs && at === this.memoAt;
  }
}
