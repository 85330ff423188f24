import type { RulesetGuard } from "../../../ruleset/types.js";
import { guardBreachNotice } from "../alerts/guard-breach.js";
import { liveSummary } from "../live/summary.js";
import type { ServerState } from "../state.js";
import { judgeGuard, showsNoRegression, type GuardFinding } from "./guard-judge.js";
import type { GuardAdvanceRecord, GuardBreachRecord, GuardStore } from "./guard-store.js";
import { guardTargets, type GuardedChange, type GuardTarget } from "./guard-targets.js";

/** A guard's state as /summary, /v1/guards, /metrics and the live view show it. */
export interface GuardStatus {
  key: string;
  change: GuardedChange;
  action: RulesetGuard["action"];
  metrics: string[];
  minUnits: number;
  state: "collecting" | "watching" | "breached";
  /** Units per arm at the last look. */
  units: Record<string, number>;
  breach?: GuardBreachRecord;
}

/** What breaking glass publishes (src/plan/guard-break.ts, passed in by src/app); resolves with the new version, or null when nothing changed. */
export type BreakGlass = (request: { guard: string; action: RulesetGuard["action"]; reason: string; now: Date }) => Promise<number | null>;

/** What taking a gated step publishes (src/plan/guard-advance.ts, passed in by src/app); resolves with the new version, or null when nothing changed. */
export type AdvanceStep = (request: { guard: string; step: number; reason: string; now: Date }) => Promise<number | null>;

type WatchedState = Pick<ServerState, "rulesets" | "store" | "live" | "alerts" | "log" | "now">;

/**
 * Watches every guard of the served ruleset (docs/http-api.md#guards): each `check` judges each
 * guard from its live summary at the server's clock, and on a breach records it in the data dir,
 * breaks glass (a new ruleset version with only the guarded change stopped, published with an audit
 * record, then served at once, so SDKs following the stream stop too), and raises a guard_breach
 * alert. Checks run one at a time; a breach is acted on once, also across restarts.
 */
export class GuardWatcher {
  private last: GuardStatus[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly s: WatchedState,
    private readonly store: GuardStore,
    private readonly breakGlass: BreakGlass | undefined,
    private readonly advanceStep?: AdvanceStep,
  ) {}

  /** The guards as the last check saw them. */
  statuses(): readonly GuardStatus[] {
    return this.last;
  }

  status(key: string): GuardStatus | undefined {
    return this.last.find((g) => g.key === key);
  }

  /** One look at every guard; a look still running is joined, not doubled. */
  check(): Promise<void> {
    this.running ??= this.look().finally(() => (this.running = undefined));
    return this.running;
  }

  private async look(): Promise<void> {
    const ruleset = this.s.rulesets.current;
    if (!ruleset) return;
    const at = this.s.now();
    const out: GuardStatus[] = [];
    for (const t of guardTargets(ruleset, at)) {
      const { guard, change, comparison } = t;
      const base = { key: guard.key, change, action: guard.action, metrics: guard.metrics, minUnits: guard.minUnits };
      const held = this.store.get(guard.key);
      // An experiment re-arms its guard in a new phase; a rollout's breach holds (its phase is what broke it).
      if (held && (!("experiment" in change) || held.phase === comparison.phase)) {
        out.push({ ...base, state: "breached", units: held.units, breach: held });
        continue;
      }
      const verdict = judgeGuard(guard, liveSummary(this.s.live, guard.key, comparison));
      if (verdict.state !== "breach") {
        out.push({ ...base, state: verdict.state, units: verdict.units });
        if (verdict.state === "watching") await this.maybeAdvance(t, at);
        continue;
      }
      const breach = await this.act(guard, change, comparison.phase, verdict.units, verdict.breach, at);
      out.push({ ...base, state: "breached", units: verdict.units, breach });
    }
    this.last = out;
  }

  /**
   * Takes the rollout's next, gated step once the step in force shows no regression with enough
   * units (guard-judge.ts showsNoRegression): publishes it with `at` = now, then records it, so it
   * is taken once, also across restarts (a failed publish is logged and not retried).
   */
  private async maybeAdvance(t: GuardTarget, at: number): Promise<void> {
    const { guard, gated, comparison } = t;
    if (!gated || !this.advanceStep || this.store.advance(guard.key, gated.step)) return;
    const summary = liveSummary(this.s.live, guard.key, comparison);
    if (!showsNoRegression(guard, summary, gated.afterUnits)) return;
    const units = summary.exposures;
    const reason = `no regression on ${guard.metrics.map((m) => `"${m}"`).join(", ")} with ${fewest(units)} units per arm (after_units ${gated.afterUnits})`;
    const advanceStep = this.advanceStep;
    const version = await this.publish(
      guard.key,
      () => advanceStep({ guard: guard.key, step: gated.step, reason, now: new Date(at) }),
      "a gated rollout step could not be published; the rollout stays at its step until exp apply",
    );
    const record: GuardAdvanceRecord = { at: new Date(at).toISOString(), step: gated.step, units, version };
    await this.store.recordAdvance(guard.key, record);
    this.s.log.info("guard advanced a rollout", { guard: guard.key, step: gated.step, version });
  }

  private async act(
    guard: RulesetGuard,
    change: GuardedChange,
    phase: number,
    units: Record<string, number>,
    finding: GuardFinding,
    at: number,
  ): Promise<GuardBreachRecord> {
    const reason = `"${finding.metric}" regressed by at least ${pct(finding.regression)} (max_regression ${pct(finding.maxRegression)}) with ${fewest(units)} units per arm`;
    const breakGlass = this.breakGlass;
    const version = breakGlass
      ? await this.publish(
          guard.key,
          () => breakGlass({ guard: guard.key, action: guard.action, reason, now: new Date(at) }),
          "a guard breach could not be published; the change keeps serving until exp stop or exp apply",
        )
      : null;
    const breach: GuardBreachRecord = { ...finding, at: new Date(at).toISOString(), action: guard.action, phase, units, version };
    await this.store.record(guard.key, breach);
    this.s.log.warn("guard breached", { guard: guard.key, metric: finding.metric, regression: finding.regression, version });
    const target = "experiment" in change ? { experiment: change.experiment } : { flag: change.flag, rule: change.ruleIndex };
    this.s.alerts.notify(
      guardBreachNotice({
        target,
        metric: finding.metric,
        regression: finding.regression,
        maxRegression: finding.maxRegression,
        action: guard.action,
        units: fewest(units),
      }),
    );
    return breach;
  }

  /**
   * Publishes what a guard did, then serves it at once; a failure is logged as `failure` and leaves
   * the served ruleset as it was. Resolves with the version published (also when serving it then
   * failed), or null when nothing was.
   */
  private async publish(guardKey: string, change: () => Promise<number | null>, failure: string): Promise<number | null> {
    let version: number | null = null;
    try {
      version = await change();
      await this.s.rulesets.reload(this.s.store);
    } catch (err) {
      this.s.log.error(failure, { guard: guardKey, error: err });
    }
    return version;
  }
}

/** The units of the arm with fewest. */
const fewest = (units: Record<string, number>) => Math.min(...Object.values(units));

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
