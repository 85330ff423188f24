import type { ExposureCounts } from "../exposure-counts.js";

/** Distinct units exposed per variant of one experiment at one instant. */
export interface ExposureSample {
  /** ISO-8601, by the server's clock. */
  at: string;
  units: Record<string, number>;
}

/**
 * Exposures over time for the live view: the distinct units per experiment × variant, sampled at
 * most once per `everyMs` of the server's clock and kept for the last `capacity` samples, so that
 * memory stays bounded however long the server runs.
 */
export class ExposureSeries {
  private readonly samples: { at: number; units: Map<string, Record<string, number>> }[] = [];

  constructor(
    private readonly counts: ExposureCounts,
    readonly everyMs: number,
    private readonly capacity: number,
  ) {}

  /** Takes a sample when the last one is `everyMs` old or more; true when it did. */
  sample(now: number): boolean {
    const last = this.samples[this.samples.length - 1];
    if (last && now - last.at < this.everyMs) return false;
    const units = new Map<string, Record<string, number>>();
    for (const v of this.counts.variants()) {
      let byVariant = units.get(v.experiment);
      if (!byVariant) units.set(v.experiment, (byVariant = {}));
      byVariant[v.variant] = v.units;
    }
    this.samples.push({ at: now, units });
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
    return true;
  }

  /** The samples of one experiment, oldest first; a variant without exposures yet counts 0. */
  of(experiment: string, variants: readonly string[]): ExposureSample[] {
    return this.samples.map((s) => {
      const got = s.units.get(experiment) ?? {};
      return { at: new Date(s.at).toISOString(), units: Object.fromEntries(variants.map((v) => [v, got[v] ?? 0])) };
    });
  }
}
