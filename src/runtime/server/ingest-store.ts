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
 * The server's two sinks and their compaction into Parquet. Opening reads back the ids of the
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
  ) {}

  static async open(dataDir: string, layout: ParquetLayout, metrics: ServerMetrics, o: IngestOptions): Promise<IngestStore> {
    mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
    const sink = async (kind: RecordKind) => {
      const recent = await loadRecentIds(dataDir, layout, kind, o.dedupWindow);
      return SegmentSink.open(join(dataDir, kind), kind, { dedup: recent.dedup, firstSegment: recent.highest + 1, protect: o.protect });
    };
    const store = new IngestStore(dataDir, layout, metrics, o.log, o.compaction ?? {}, await sink("exposures"), await sink("events"));
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
      await Promise.all([this.exposures.roll(), this.events.roll()]);
      try {
        const r = await compactSegments(
          this.dataDir,
          this.layout,
          { exposures: this.exposures.currentSegment, events: this.events.currentSegment },
          this.options,
        );
        this.metrics.compactedSegments += r.exposures.segments + r.events.segments;
        this.metrics.quarantined += r.exposures.quarantined + r.events.quarantined;
        this.metrics.expiredRows += r.exposures.expired + r.events.expired;
        for (const kind of ["exposures", "events"] as const) {
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

  get fsyncs(): number {
    return this.exposures.stats.fsyncs + this.events.stats.fsyncs;
  }

  /** Ids held for deduplication, both kinds together. */
  get dedupSize(): number {
    return this.exposures.dedupSize + this.events.dedupSize;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.compacting;
    await Promise.all([this.exposures.close(), this.events.close()]);
  }
}
