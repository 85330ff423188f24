import type { PublishTarget } from "../../plan/target/target.js";
import type { Ruleset } from "../../ruleset/types.js";
import { createEvaluator, type Evaluator } from "../evaluator.js";
import { HttpError } from "./http-io.js";
import { countingAssignments, type ServerMetrics } from "./metrics.js";
import type { RulesetVerifier } from "./ruleset-verifier.js";
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

  constructor(
    private readonly verifier: RulesetVerifier,
    private readonly metrics: ServerMetrics,
    private readonly log: ServerLog,
  ) {}

  /** The ruleset being served, if any. */
  get current(): Ruleset | undefined {
    return this.served;
  }

  /** The evaluator; 503 until a ruleset is published. */
  ready(): Evaluator {
    if (!this.evaluator) throw new HttpError(503, "no ruleset is published yet; run exp apply");
    return this.evaluator;
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
