import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * Append-only segment files of NDJSON records under the server's data dir. A batch is written and
 * fsynced before the request is acknowledged. Duplicates (by id) are dropped, including across
 * restarts: ids of existing segments are read back at start.
 */
export class SegmentSink {
  private fd: number;
  private readonly seen = new Set<string>();
  private bytes = 0;
  private segment = 0;

  constructor(
    private readonly dir: string,
    private readonly kind: "exposures" | "events",
    private readonly maxSegmentBytes = 64 * 1024 * 1024,
  ) {
    mkdirSync(dir, { recursive: true });
    const existing = readdirSync(dir).filter((f) => f.startsWith(`${kind}-`) && f.endsWith(".ndjson")).sort();
    for (const f of existing) {
      for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
        if (!line) continue;
        try {
          const id = (JSON.parse(line) as { id?: string }).id;
          if (id) this.seen.add(id);
        } catch {
          // A torn last line from a crash: the record was never acknowledged, so it is not counted.
        }
      }
    }
    this.segment = existing.length;
    this.fd = this.open();
  }

  private open(): number {
    this.segment++;
    this.bytes = 0;
    return openSync(join(this.dir, `${this.kind}-${String(this.segment).padStart(6, "0")}.ndjson`), "a");
  }

  /** Appends the records whose id is new; returns how many were accepted. Durable on return. */
  append(records: { id: string }[]): number {
    const fresh: string[] = [];
    const ids = new Set<string>();
    for (const r of records) {
      if (this.seen.has(r.id) || ids.has(r.id)) continue;
      ids.add(r.id);
      fresh.push(JSON.stringify(r));
    }
    if (fresh.length === 0) return 0;
    const text = `${fresh.join("\n")}\n`;
    writeSync(this.fd, text);
    fsyncSync(this.fd);
    for (const id of ids) this.seen.add(id);
    this.bytes += Buffer.byteLength(text);
    if (this.bytes > this.maxSegmentBytes) {
      closeSync(this.fd);
      this.fd = this.open();
    }
    return fresh.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}
