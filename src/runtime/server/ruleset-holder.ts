import type { PublishTarget } from "../../plan/target/target.js";
import type { Ruleset } from "../../ruleset/types.js";
import { createEvaluator, type Evaluator } from "../evaluator.js";
import { HttpError } from "./http-io.js";
import type { ServerMetrics } from "./metrics.js";

/** Schema, checksum and reference check of a ruleset (src/ruleset/verify.ts), passed in by the caller. */
export type RulesetCheck = (json: unknown) => { ok: boolean; ruleset?: Ruleset; diagnostics: { message: string }[] };

/**
 * The ruleset being served and its evaluator. Installing a new one replaces both references at
 * once, so a hot reload never fails a request in flight.
 */
export class RulesetHolder {
  private served: Ruleset | undefined;
  private evaluator: Evaluator | undefined;

  constructor(
    private readonly check: RulesetCheck,
    private readonly metrics: ServerMetrics,
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

  /** `candidate` as a ruleset when it verifies, else 400 naming why. */
  verified(candidate: unknown): Ruleset {
    const v = this.check(candidate);
    if (!v.ok || !v.ruleset) throw new HttpError(400, `the ruleset does not verify: ${v.diagnostics.map((d) => d.message).join("; ")}`);
    return v.ruleset;
  }

  install(ruleset: Ruleset): void {
    this.evaluator = createEvaluator(ruleset);
    this.served = ruleset;
    this.metrics.rulesetVersion = ruleset.version;
    this.metrics.reloads++;
  }

  /** Serves the store's current ruleset when it differs from the one served; on any failure keeps the last good one. */
  async reload(store: PublishTarget): Promise<void> {
    try {
      const cur = await store.current();
      if (cur && cur.checksum !== this.served?.checksum) this.install(this.verified(cur.ruleset));
    } catch {
      // Keep serving the last good ruleset; readiness still reflects that one is loaded.
    }
  }
}
