import { mkdirSync, readdirSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { DedupIndex } from "./dedup-index.js";
import type { RecordProtector } from "./privacy/protect-record.js";
import { highestPart, PRIVATE_DIR, PRIVATE_FILE, segmentName, segmentNumber } from "./segment-files.js";

export type RecordKind = "exposures" | "events" | "identities";

/** Ids answered "duplicate" by default: the last million per kind (docs/server-compaction.md). */
export const DEFAULT_DEDUP_WINDOW = 1_000_000;

interface Pending {
  text: string;
  accepted: number;
  /** The records accepted, kept only for a listener. */
  records: { id: string }[] | undefined;
  resolve(accepted: number): void;
  reject(err: Error): void;
}

/**
 * Append-only segment files of NDJSON records under the server's data dir, with group commit:
 * batches that arrive while an fsync is in flight are written together and all acknowledged after
 * the next single fsync. No batch is acknowledged before its bytes are durable, and the event loop
 * never blocks on the disk (async fs on the libuv pool).
 *
 * A record whose id is among the recently accepted ones (the dedup index, a bounded window that
 * survives restarts) is dropped as a duplicate; an older duplicate is removed at compaction.
 */
export class SegmentSink {
  /** How many fsyncs were issued and how many batches they acknowledged (group commit shows as batches > fsyncs). */
  readonly stats = { fsyncs: 0, batches: 0 };
  private readonly seen: DedupIndex;
  private queue: Pending[] = [];
  private flushing = false;
  private rollWaiters: ((closed: number | undefined) => void)[] = [];
  private broken: Error | undefined;
  private bytes = 0;
  private listener: ((records: readonly { id: string }[]) => void) | undefined;

  private constructor(
    private readonly dir: string,
    private readonly kind: RecordKind,
    private readonly maxSegmentBytes: number,
    private file: FileHandle,
    private segment: number,
    seen: DedupIndex,
    private readonly protect: RecordProtector | undefined,
  ) {
    this.seen = seen;
  }

  /**
   * Opens a fresh segment after every existing one. `dedup` holds the ids recently accepted
   * (recent-ids.ts reads them back on start); `firstSegment` is the lowest number a new segment may
   * take (parts already in Parquet count, so a number is never reused after its segment was
   * compacted and removed). `protect` rewrites every record before anything else sees it (the keyed
   * hashing of unit ids, privacy/protect-record.ts), so that the dedup index and the disk only ever
   * hold what it returns.
   */
  static async open(
    dir: string,
    kind: RecordKind,
    o: { dedup?: DedupIndex; firstSegment?: number; maxSegmentBytes?: number; protect?: RecordProtector } = {},
  ): Promise<SegmentSink> {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    const existing = readdirSync(dir).filter((f) => segmentNumber(kind, f) !== undefined);
    const next = Math.max(highestPart(existing, kind) + 1, o.firstSegment ?? 1);
    const file = await open(join(dir, segmentName(kind, next)), "a", PRIVATE_FILE);
    return new SegmentSink(
      dir,
      kind,
      o.maxSegmentBytes ?? 64 * 1024 * 1024,
      file,
      next,
      o.dedup ?? new DedupIndex(DEFAULT_DEDUP_WINDOW),
      o.protect,
    );
  }

  /** How many ids the dedup index holds (bounded by its window). */
  get dedupSize(): number {
    return this.seen.size;
  }

  /** The number of the segment being written; every lower-numbered segment is closed. */
  get currentSegment(): number {
    return this.segment;
  }

  /**
   * Appends the records whose id is new and resolves with how many were accepted, once they are
   * fsynced. A batch of duplicates only still waits for the flush in flight, so that "duplicate"
   * is never said of a record that is not durable yet.
   */
  append(records: { id: string }[]): Promise<number> {
    if (this.broken) return Promise.reject(this.broken);
    const lines: string[] = [];
    const kept: { id: string }[] | undefined = this.listener && [];
    for (const given of records) {
      const r = this.protect ? this.protect(given) : given;
      // Reserving the id now makes a concurrent duplicate in a later batch count as a duplicate.
      if (!this.seen.add(r.id)) continue;
      lines.push(JSON.stringify(r));
      kept?.push(r);
    }
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ text: lines.length ? `${lines.join("\n")}\n` : "", accepted: lines.length, records: kept, resolve, reject });
      void this.flush();
    });
  }

  /**
   * `listener` sees the records of every batch, as stored (deduplicated, protected), once they are
   * durable and before the batch is acknowledged: the server's live statistics follow the disk.
   */
  listen(listener: (records: readonly { id: string }[]) => void): void {
    this.listener = listener;
  }

  /**
   * Closes the current segment (when it holds anything) and starts the next one, between two
   * group commits; resolves with the number of the segment closed, or undefined when it was empty.
   */
  roll(): Promise<number | undefined> {
    return new Promise((resolve) => {
      this.rollWaiters.push(resolve);
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0 || this.rollWaiters.length > 0) {
        if (this.queue.length > 0) await this.commit(this.queue.splice(0));
        if (this.rollWaiters.length > 0 || this.bytes > this.maxSegmentBytes) {
          const waiters = this.rollWaiters.splice(0);
          const closed = this.bytes > 0 && !this.broken ? await this.rollOver() : undefined;
          for (const w of waiters) w(closed);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async commit(group: Pending[]): Promise<void> {
    if (this.broken) {
      for (const p of group) p.reject(this.broken);
      return;
    }
    const buf = Buffer.from(group.map((p) => p.text).join(""));
    try {
      if (buf.length > 0) {
        for (let off = 0; off < buf.length;) off += (await this.file.write(buf, off, buf.length - off)).bytesWritten;
        await this.file.datasync();
        this.stats.fsyncs++;
        this.bytes += buf.length;
      }
    } catch (err) {
      // After a failed write or fsync the file's state is unknown, so nothing more is acknowledged.
      this.broken = new Error(`the ${this.kind} segment cannot be written: ${(err as Error).message}`);
      for (const p of group) p.reject(this.broken);
      return;
    }
    this.stats.batches += group.length;
    for (const p of group) {
      if (p.records && p.records.length > 0) this.listener?.(p.records);
      p.resolve(p.accepted);
    }
  }

  private async rollOver(): Promise<number> {
    const closed = this.segment;
    await this.file.close();
    this.segment++;
    this.bytes = 0;
    this.file = await open(join(this.dir, segmentName(this.kind, this.segment)), "a", PRIVATE_FILE);
    return closed;
  }

  /** Waits for queued batches, then closes the file. */
  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 1));
    await this.file.close();
  }
}
