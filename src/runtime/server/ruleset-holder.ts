import type { PublishTarget } from "../../plan/target/target.js";
import type { Ruleset } from "../../ruleset/types.js";
import { createEvaluator, type Evaluator } from "../evaluator.js";
import { HttpError } from "./http-io.js";
import { countingAssignments, type ServerMetrics } from "./metrics.js";
import type { RulesetVerifier } from "./ruleset-verifier.js";
import { withRuntimeOverrides, type RuntimeOverrides } from "./runtime-overrides.js";
import type { ServerLog } from "./server-log.js";

/**
 * The ruleset being served and its evaluator. Installing a new one replaces both references at
 * once, so a hot reload never fails a request in flight. Every ruleset is verified on the worker
 * thread of `RulesetVerifier` before it is served, and changes (a PUT, a reload) run one at a time.
 */
export class RulesetHolder {
  private served: Ruleset | undefined;
  private evaluator: Evaluator | undefined;
  private changing: Promise<unknown> = Promise.resolve();
  private reloading = false;
  /** The checksum of a stored ruleset that failed verification, so a reload does not try it every second. */
  private refused: string | undefined;
  /** Told of every ruleset installed (GET /v1/ruleset/stream pushes it to SDKs). */
  private readonly listeners = new Set<(ruleset: Ruleset) => void>();
  /** POST /v1/overrides: evaluation sees them merged into the served ruleset (runtime-overrides.ts). */
  private overrides: { store: RuntimeOverrides; now: () => number } | undefined;
  /** The evaluator with the overrides in force, for the served one, valid until the first of them expires. */
  private overridden: { base: Evaluator; generation: number; until: number; evaluator: Evaluator } | undefined;

  constructor(
    private readonly verifier: RulesetVerifier,
    private readonly metrics: ServerMetrics,
    private readonly log: ServerLog,
  ) {}

  /** The ruleset being served, if any. */
  get current(): Ruleset | undefined {
    return this.served;
  }

  /** Serves `store`'s overrides while they are in force at `now`. */
  useOverrides(store: RuntimeOverrides, now: () => number): void {
    this.overrides = { store, now };
  }

  /**
   * The evaluator; 503 until a ruleset is published. With runtime overrides in force it is one built
   * over them, rebuilt when they change, when one expires, or when another ruleset is installed.
   */
  ready(): Evaluator {
    const base = this.evaluator;
    if (!base) throw new HttpError(503, "no ruleset is published yet; run exp apply");
    if (!this.overrides) return base;
    const { store, now } = this.overrides;
    const at = now();
    const o = this.overridden;
    if (o && o.base === base && o.generation === store.generation && at < o.until) return o.evaluator;
    const active = store.active(at);
    const evaluator =
      active.length === 0 ? base : countingAssignments(createEvaluator(withRuntimeOverrides(this.served!, active)), this.metrics);
    const until = Math.min(Infinity, ...active.map((x) => Date.parse(x.expiresAt)));
    this.overridden = { base, generation: store.generation, until, evaluator };
    return evaluator;
  }

  /** The ruleset in `text` when it verifies (off the event loop, within the time budget), else 400 naming why. */
  async verified(text: string): Promise<Ruleset> {
    const v = await this.verifier.check(text);
    if (!v.ok) throw new HttpError(v.status, v.status === 400 ? `the ruleset does not verify: ${v.message}` : v.message);
    return JSON.parse(text) as Ruleset;
  }

  /** Runs `change` after every earlier one, so that a PUT and a reload never install out of order. */
  exclusive<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changing.then(change);
    this.changing = run.catch(() => undefined);
    return run;
  }

  install(ruleset: Ruleset): void {
    this.evaluator = countingAssignments(createEvaluator(ruleset), this.metrics);
    this.served = ruleset;
    this.metrics.rulesetVersion = ruleset.version;
    this.metrics.reloads++;
    for (const listener of this.listeners) listener(ruleset);
  }

  /** Calls `listener` after each install; returns what stops it. */
  onInstall(listener: (ruleset: Ruleset) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Serves the store's current ruleset when it differs from the one served; on any failure keeps
   * the last good one. A reload still running when the next is due is not doubled.
   */
  async reload(store: PublishTarget): Promise<void> {
    if (this.reloading) return;
    this.reloading = true;
    try {
      await this.exclusive(async () => {
        const cur = await store.current();
        if (!cur || cur.checksum === this.served?.checksum || cur.checksum === this.refused) return;
        const v = await this.verifier.check(JSON.stringify(cur.ruleset));
        if (v.ok) return this.install(cur.ruleset);
        if (v.status === 400) this.refused = cur.checksum;
        this.log.warn("the published ruleset does not verify; the last good one keeps serving", {
          version: cur.version,
          error: v.message,
        });
      });
    } catch {
      // Keep serving the last good ruleset; readiness still reflects that one is loaded.
    } finally {
      this.reloading = false;
    }
  }
}
