import { join } from "node:path";
import { compactedIds, compactSegments, type CompactionReport, type ParquetLayout } from "./compaction.js";
import type { ServerMetrics } from "./metrics.js";
import { SegmentSink, type RecordKind } from "./sink.js";

/**
 * The server's two sinks and their compaction into Parquet. Opening reads back the ids already in
 * Parquet, so deduplication survives compaction; compactions run one at a time, the periodic one
 * and an explicit one queueing behind each other.
 */
export class IngestStore {
  private compacting: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dataDir: string,
    private readonly layout: ParquetLayout,
    private readonly metrics: ServerMetrics,
    readonly exposures: SegmentSink,
    readonly events: SegmentSink,
  ) {}

  static async open(dataDir: string, layout: ParquetLayout, metrics: ServerMetrics, compactEveryMs?: number): Promise<IngestStore> {
    const sink = async (kind: RecordKind) => {
      const done = await compactedIds(dataDir, layout, kind);
      return SegmentSink.open(join(dataDir, kind), kind, { knownIds: done.ids, firstSegment: done.highest + 1 });
    };
    const store = new IngestStore(dataDir, layout, metrics, await sink("exposures"), await sink("events"));
    if (compactEveryMs) {
      store.timer = setInterval(() => {
        store.compact().catch(() => {
          // The segments stay in place and the next run retries; the failure shows in /metrics.
          metrics.compactionFailures++;
        });
      }, compactEveryMs);
      store.timer.unref();
    }
    return store;
  }

  /** Closes the segments being written and compacts every closed one into Parquet. */
  compact(): Promise<CompactionReport> {
    const job = this.compacting.then(async () => {
      await Promise.all([this.exposures.roll(), this.events.roll()]);
      const r = await compactSegments(this.dataDir, this.layout, {
        exposures: this.exposures.currentSegment,
        events: this.events.currentSegment,
      });
      this.metrics.compactedSegments += r.exposures.segments + r.events.segments;
      return r;
    });
    this.compacting = job.catch(() => undefined);
    return job;
  }

  get fsyncs(): number {
    return this.exposures.stats.fsyncs + this.events.stats.fsyncs;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.compacting;
    await Promise.all([this.exposures.close(), this.events.close()]);
  }
}
