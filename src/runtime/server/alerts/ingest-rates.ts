/** When a series' recent rate is an anomaly: its rate over `windowMs` against its rate over the `baselineMs` before it. */
export interface IngestAnomalyRule {
  windowMs: number;
  baselineMs: number;
  /** A drop: the recent rate below this share of the baseline rate. */
  dropBelow: number;
  /** A spike: the recent rate above this multiple of the baseline rate. */
  spikeAbove: number;
  /** Records the baseline must hold to judge by: a trickle is too noisy to call anything an anomaly. */
  minEvents: number;
}

export const DEFAULT_INGEST_ANOMALY: IngestAnomalyRule = {
  windowMs: 300_000,
  baselineMs: 3_600_000,
  dropBelow: 0.1,
  spikeAbove: 10,
  minEvents: 100,
};

/** A series' rates when it could be judged (per minute), and the anomaly if there is one. */
export interface RateFinding {
  anomaly: "drop" | "spike" | undefined;
  recentPerMinute: number;
  baselinePerMinute: number;
  baselineCount: number;
}

interface Sample {
  at: number;
  total: number;
}

/**
 * Rates of ingestion per series (an experiment's exposures, the event stream) from the cumulative
 * counters the server keeps anyway, sampled when the alert checks run: the ingest path does no
 * work for it. Each series keeps the samples of the last window and baseline (one per check).
 */
export class IngestRates {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly rule: IngestAnomalyRule) {}

  /**
   * Samples `total` (the series' count so far) at `now` and judges the series: undefined until it has
   * a window and a baseline of history, and while its baseline holds fewer than `minEvents` records.
   */
  judge(series: string, total: number, now: number): RateFinding | undefined {
    let samples = this.samples.get(series);
    if (!samples) this.samples.set(series, (samples = []));
    samples.push({ at: now, total });
    const windowStart = now - this.rule.windowMs;
    const baselineStart = windowStart - this.rule.baselineMs;
    // Keep the newest sample at or before the baseline's start: it anchors the baseline.
    while (samples.length > 1 && samples[1]!.at <= baselineStart) samples.shift();
    const first = samples[0]!;
    if (first.at > baselineStart) return undefined;
    let anchor = first;
    for (const s of samples) if (s.at <= windowStart) anchor = s;
    const baselineCount = anchor.total - first.total;
    if (baselineCount < this.rule.minEvents || anchor.at === first.at) return undefined;
    const baselinePerMinute = (baselineCount / (anchor.at - first.at)) * 60_000;
    const recentPerMinute = ((total - anchor.total) / (now - anchor.at)) * 60_000;
    const anomaly =
      recentPerMinute < this.rule.dropBelow * baselinePerMinute
        ? "drop"
        : recentPerMinute > this.rule.spikeAbove * baselinePerMinute
          ? "spike"
          : undefined;
    return { anomaly, recentPerMinute, baselinePerMinute, baselineCount };
  }

  /** Forgets every series but `kept` (experiments no longer running, or in a new phase). */
  retain(kept: ReadonlySet<string>): void {
    for (const series of this.samples.keys()) if (!kept.has(series)) this.samples.delete(series);
  }
}
