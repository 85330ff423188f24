import type { Attributes } from "../condition.js";
import type { Evaluator } from "../evaluator.js";
import { ROLLOUT_ARMS } from "../../ruleset/types.js";
import type { AssignmentResult, FlagResult } from "../result.js";
import { rolloutPhase, timedSteps, type TimedStep } from "../rollout-phase.js";
import { userIdOf, type UnitRef } from "../unit-ids.js";
import type { ExposureDedup } from "./exposure-dedup.js";
import { exposureId } from "./exposure-id.js";
import { exposureMode, type ExposureMode } from "./exposure-mode.js";
import type { ExposureSink } from "./wire.js";

/** An assignment as the client returns it: the result, and `exposed()` to confirm an on_view exposure. */
export interface Assignment extends AssignmentResult {
  /**
   * Logs the exposure now (on_view experiments: call it when the unit actually sees the variant).
   * Idempotent, and a no-op for a unit not enrolled, for on_assignment experiments (already logged
   * by `assign`) and without an exposure sink.
   */
  exposed(): void;
}

const NOTHING = (): void => {};

/** Flag results that may log an exposure: from an experiment rule, or from a rollout rule (when it has a guard). */
export function mayLogExposure(r: FlagResult): boolean {
  return r.reason === "experiment" || r.reason === "rollout" || r.reason === "rollout_excluded";
}

/** Marks a result as needing no confirmation; the result object is the evaluator's own, fresh per call. */
export function withoutExposure(r: AssignmentResult): Assignment {
  (r as Assignment).exposed = NOTHING;
  return r as Assignment;
}

/**
 * Logs exposures for one ruleset: on_assignment experiments when `assign` enrols a unit or a flag
 * rule of kind `experiment` serves from the experiment, on_view ones when the app calls
 * `exposed()`. Each unit × experiment × phase goes to the sink once (while the dedup remembers it).
 * The hot path only looks up a precomputed mode, checks the dedup and enqueues.
 */
export class ExposureLogger {
  private readonly experiments = new Map<string, { phase: number; mode: ExposureMode }>();
  /** flag → rule name → experiment, for the rules of kind `experiment` over an on_assignment experiment. */
  private readonly flagRules = new Map<string, Map<string, string>>();
  /** flag → rule name → the guard key and timed steps of a guarded rollout rule. */
  private readonly guardedRollouts = new Map<string, Map<string, { key: string; steps: TimedStep[] }>>();

  constructor(
    readonly evaluator: Evaluator,
    private readonly sink: ExposureSink,
    private readonly dedup: ExposureDedup,
    private readonly now: () => number,
  ) {
    for (const [key, e] of Object.entries(evaluator.ruleset.experiments))
      this.experiments.set(key, { phase: e.phase, mode: exposureMode(e) });
    for (const [flag, f] of Object.entries(evaluator.ruleset.flags)) {
      const rules = new Map<string, string>();
      for (const r of f.rules)
        if (r.kind === "experiment" && this.experiments.get(r.experiment)?.mode === "on_assignment") rules.set(r.name, r.experiment);
      if (rules.size > 0) this.flagRules.set(flag, rules);
      const guarded = new Map<string, { key: string; steps: TimedStep[] }>();
      for (const r of f.rules) if (r.kind === "rollout" && r.guard) guarded.set(r.name, { key: r.guard.key, steps: timedSteps(r.steps) });
      if (guarded.size > 0) this.guardedRollouts.set(flag, guarded);
    }
  }

  /** `unit` is what the assignment was asked for: a session experiment's exposure names the user beside its session. */
  assigned(r: AssignmentResult, at: number, unit: UnitRef): Assignment {
    const e = this.experiments.get(r.experiment);
    if (!e || !r.inExperiment || r.variant === null) return withoutExposure(r);
    const user = userIdOf(unit);
    if (e.mode === "on_assignment") {
      this.log(r.experiment, e.phase, r.hashKey, user, r.variant, at);
      return withoutExposure(r);
    }
    let done = false;
    const { experiment, hashKey, variant } = r;
    (r as Assignment).exposed = () => {
      if (done) return;
      done = true;
      // Stamped when the unit sees it, which is the point of on_view.
      this.log(experiment, e.phase, hashKey, user, variant, this.now());
    };
    return r as Assignment;
  }

  flagServed(flag: string, r: FlagResult, unit: UnitRef, attrs: Attributes | undefined, at: number): void {
    if (r.rule === null) return;
    if (r.reason === "rollout" || r.reason === "rollout_excluded")
      return this.rolloutServed(flag, r.rule, r.reason === "rollout", unit, at);
    if (r.reason !== "experiment") return;
    const experiment = this.flagRules.get(flag)?.get(r.rule);
    if (experiment === undefined) return;
    const { phase } = this.experiments.get(experiment)!;
    const user = userIdOf(unit);
    // The dedup is checked first so that a repeat costs no second assignment (a session experiment
    // hashes the session id, known only from its assignment).
    if (typeof unit === "string" && !this.dedup.firstTime(experiment, phase, user)) return;
    const a = this.evaluator.assign(experiment, unit, attrs, at);
    if (a.variant === null) return;
    if (typeof unit === "string") this.send(experiment, phase, a.hashKey, user, a.variant, at);
    else this.log(experiment, phase, a.hashKey, user, a.variant, at);
  }

  /** A guarded rollout logs which side of its percentage the unit is on (docs/file-formats.md#guards). */
  private rolloutServed(flag: string, rule: string, served: boolean, unit: UnitRef, at: number): void {
    const g = this.guardedRollouts.get(flag)?.get(rule);
    if (!g) return;
    const user = userIdOf(unit);
    const phase = rolloutPhase(g.steps, at);
    if (phase === 0) return;
    this.log(g.key, phase, user, user, served ? ROLLOUT_ARMS.treatment : ROLLOUT_ARMS.control, at);
  }

  private log(experiment: string, phase: number, hashKey: string, user: string, variant: string, at: number): void {
    if (this.dedup.firstTime(experiment, phase, hashKey)) this.send(experiment, phase, hashKey, user, variant, at);
  }

  /** `hashKey` names the exposure (the session id in a session experiment, else the user id). */
  private send(experiment: string, phase: number, hashKey: string, user: string, variant: string, at: number): void {
    this.sink.exposure({
      exposureId: exposureId(experiment, phase, hashKey),
      experimentKey: experiment,
      userId: user,
      ...(hashKey !== user ? { sessionId: hashKey } : {}),
      variant,
      phase,
      rulesetVersion: this.evaluator.ruleset.version,
      ts: new Date(at).toISOString(),
    });
  }
}
