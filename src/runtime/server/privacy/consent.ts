import { HttpError } from "../http-io.js";
import type { ServerMetrics } from "../metrics.js";
import type { RecordKind } from "../sink.js";

/**
 * Which exposures and events may be stored: not one whose body says `consent: false`, nor one of a
 * unit on the opt-out list (exp.yaml `privacy.opt_out_file`, read at start). The others are
 * dropped before the sink sees them, never stored, and counted (the response's `withoutConsent`,
 * and `exp_consent_dropped_total` in /metrics).
 */
export class ConsentScreen {
  constructor(
    private readonly optOut: ReadonlySet<string>,
    private readonly metrics: ServerMetrics,
  ) {}

  /**
   * The records that may be stored, in order. `consents[i]` is the `consent` field of the body of
   * record i (absent or true consents); anything but a boolean refuses the request (400), naming
   * `what(i)`, before anything is stored.
   */
  keep<R extends { unit_id: string }>(
    kind: RecordKind,
    records: readonly R[],
    consents: readonly unknown[],
    what: (i: number) => string,
  ): R[] {
    consents.forEach((c, i) => {
      if (c !== undefined && c !== null && typeof c !== "boolean") throw new HttpError(400, `${what(i)}: "consent" must be true or false`);
    });
    const kept = records.filter((r, i) => consents[i] !== false && !this.optedOut(r.unit_id));
    this.metrics.withoutConsent[kind] += records.length - kept.length;
    return kept;
  }

  /** True when a unit on the opt-out list: the server's own exposure logging asks this. */
  optedOut(unit: string): boolean {
    // Most workspaces declare no opt-out file: then no unit id needs hashing into the set.
    return this.optOut.size > 0 && this.optOut.has(unit);
  }
}

/** The `withoutConsent` field of an ingestion answer: present only when something was dropped, so other answers are unchanged. */
export function withoutConsent(dropped: number): { withoutConsent?: number } {
  return dropped > 0 ? { withoutConsent: dropped } : {};
}
