import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { compactSegments, type CompactionOptions, type CompactionReport, type ParquetLayout } from "./compaction.js";
import type { ServerMetrics } from "./metrics.js";
import type { RecordProtector } from "./privacy/protect-record.js";
import { loadRecentIds } from "./recent-ids.js";
import { PRIVATE_DIR } from "./segment-files.js";
import type { ServerLog } from "./server-log.js";
import { SegmentSink, type RecordKind } from "./sink.js";

export interface IngestOptions {
  /** Compact closed segments into Parquet this often (ms); off when absent. */
  compactEveryMs?: number;
  /** Ids per kind answered "duplicate" (sink.ts DEFAULT_DEDUP_WINDOW by default). */
  dedupWindow: number;
  log: ServerLog;
  /** Rewrites records before they are stored (keyed hashing of unit ids); none stores them as given. */
  protect?: RecordProtector;
  /** What every compaction purges (retention) and the clock it measures age by. */
  compaction?: CompactionOptions;
}

/**
 * The server's sinks (exposures, events, identities) and their compaction into Parquet. Opening reads back the ids of the
 * newest segments and parts (a bounded window), so deduplication survives restarts and
 * compaction; compactions run one at a time, the periodic one and an explicit one queueing
 * behind each other. Quarantined lines and failed runs are logged.
 */
export class IngestStore {
  private compacting: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dataDir: string,
    private readonly layout: ParquetLayout,
    private readonly metrics: ServerMetrics,
    private readonly log: ServerLog,
    private readonly options: CompactionOptions,
    readonly exposures: SegmentSink,
    readonly events: SegmentSink,
    readonly identities: SegmentSink,
  ) {}

  static async open(dataDir: string, layout: ParquetLayout, metrics: ServerMetrics, o: IngestOptions): Promise<IngestStore> {
    mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
    const sink = async (kind: RecordKind) => {
      const recent = await loadRecentIds(dataDir, layout, kind, o.dedupWindow);
      return SegmentSink.open(join(dataDir, kind), kind, { dedup: recent.dedup, firstSegment: recent.highest + 1, protect: o.protect });
    };
    const store = new IngestStore(
      dataDir,
      layout,
      metrics,
      o.log,
      o.compaction ?? {},
      await sink("exposures"),
      await sink("events"),
      await sink("identities"),
    );
    if (o.compactEveryMs) {
      store.timer = setInterval(() => {
        store.compact().catch(() => {
          // Logged and counted by compact(); the segments stay in place and the next run retries.
        });
      }, o.compactEveryMs);
      store.timer.unref();
    }
    return store;
  }

  /** Closes the segments being written and compacts every closed one into Parquet. */
  compact(): Promise<CompactionReport> {
    const job = this.compacting.then(async () => {
      await Promise.all(this.sinks.map((s) => s.roll()));
      try {
        const r = await compactSegments(
          this.dataDir,
          this.layout,
          {
            exposures: this.exposures.currentSegment,
            events: this.events.currentSegment,
            identities: this.identities.currentSegment,
          },
          this.options,
        );
        const kinds = ["exposures", "events", "identities"] as const;
        for (const kind of kinds) {
          this.metrics.compactedSegments += r[kind].segments;
          this.metrics.quarantined += r[kind].quarantined;
          this.metrics.expiredRows += r[kind].expired;
        }
        for (const kind of kinds) {
          if (r[kind].quarantined > 0)
            this.log.warn("compaction quarantined lines it cannot convert", {
              kind,
              lines: r[kind].quarantined,
              dir: join("quarantine", kind),
            });
        }
        return r;
      } catch (err) {
        this.metrics.compactionFailures++;
        this.log.error("compaction failed; the segments stay and the next run retries", { error: err });
        throw err;
      }
    });
    this.compacting = job.catch(() => undefined);
    return job;
  }

  private get sinks(): SegmentSink[] {
    return [this.exposures, this.events, this.identities];
  }

  get fsyncs(): number {
    return this.sinks.reduce((n, s) => n + s.stats.fsyncs, 0);
  }

  /** Ids held for deduplication, every kind together. */
  get dedupSize(): number {
    return this.sinks.reduce((n, s) => n + s.dedupSize, 0);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.compacting;
    await Promise.all(this.sinks.map((s) => s.close()));
  }
}
