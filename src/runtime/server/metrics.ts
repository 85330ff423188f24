/** Prometheus text exposition of a few counters and the loaded ruleset version. */
export class ServerMetrics {
  readonly requests = new Map<string, number>();
  evaluations = 0;
  exposures = 0;
  events = 0;
  rulesetVersion = 0;
  reloads = 0;
  compactedSegments = 0;
  compactionFailures = 0;
  quarantined = 0;
  /** Rows compaction purged as older than the retention. */
  expiredRows = 0;
  fsyncs = 0;
  /** Records dropped for want of consent (consent: false, or an opted-out unit), by kind. */
  readonly withoutConsent = { exposures: 0, events: 0 };
  /** Ids held for deduplication (bounded by the window). */
  dedupIds = 0;

  count(route: string, status: number): void {
    const k = `${route}|${status}`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
  }

  render(): string {
    const lines = ["# HELP exp_requests_total HTTP requests by route and status.", "# TYPE exp_requests_total counter"];
    for (const [k, n] of [...this.requests].sort()) {
      const [route, status] = k.split("|");
      lines.push(`exp_requests_total{route="${route}",status="${status}"} ${n}`);
    }
    lines.push("# TYPE exp_evaluations_total counter", `exp_evaluations_total ${this.evaluations}`);
    lines.push("# TYPE exp_exposures_total counter", `exp_exposures_total ${this.exposures}`);
    lines.push("# TYPE exp_events_total counter", `exp_events_total ${this.events}`);
    lines.push("# TYPE exp_ruleset_version gauge", `exp_ruleset_version ${this.rulesetVersion}`);
    lines.push("# TYPE exp_ruleset_reloads_total counter", `exp_ruleset_reloads_total ${this.reloads}`);
    lines.push("# TYPE exp_ingest_fsyncs_total counter", `exp_ingest_fsyncs_total ${this.fsyncs}`);
    lines.push("# TYPE exp_compacted_segments_total counter", `exp_compacted_segments_total ${this.compactedSegments}`);
    lines.push("# TYPE exp_compaction_failures_total counter", `exp_compaction_failures_total ${this.compactionFailures}`);
    lines.push("# TYPE exp_quarantined_lines_total counter", `exp_quarantined_lines_total ${this.quarantined}`);
    lines.push(
      "# HELP exp_consent_dropped_total Exposures and events dropped without being stored: consent false, or an opted-out unit.",
      "# TYPE exp_consent_dropped_total counter",
      `exp_consent_dropped_total{kind="exposures"} ${this.withoutConsent.exposures}`,
      `exp_consent_dropped_total{kind="events"} ${this.withoutConsent.events}`,
    );
    lines.push("# TYPE exp_retention_purged_rows_total counter", `exp_retention_purged_rows_total ${this.expiredRows}`);
    lines.push("# TYPE exp_dedup_ids gauge", `exp_dedup_ids ${this.dedupIds}`);
    lines.push("# TYPE process_resident_memory_bytes gauge", `process_resident_memory_bytes ${process.memoryUsage.rss()}`);
    return `${lines.join("\n")}\n`;
  }
}
