import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../fsio/atomic.js";
import { PRIVATE_DIR, PRIVATE_FILE, segmentName } from "./segment-files.js";
import type { RecordKind } from "./sink.js";

/** A line of a segment that compaction could not turn into a Parquet row. */
export interface QuarantinedLine {
  /** 1-based line number in the segment. */
  line: number;
  /** The line's exact bytes, without its newline. */
  raw: Buffer;
  reason: string;
}

/**
 * Keeps the lines of segment `n` that compaction could not convert, so that removing the segment
 * loses nothing: `<kind>-<n>.ndjson` holds their exact bytes (fix them and post them again), and
 * `<kind>-<n>.reasons.ndjson` says why, line by line. Both are written atomically and durably
 * before the segment goes; a redo after a crash writes the same files again.
 */
export async function quarantineLines(dir: string, kind: RecordKind, n: number, lines: readonly QuarantinedLine[]): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const name = segmentName(kind, n);
  const raw = Buffer.concat(lines.flatMap((l) => [l.raw, Buffer.from("\n")]));
  const reasons = lines.map((l) => `${JSON.stringify({ line: l.line, reason: l.reason })}\n`).join("");
  await writeFileAtomic(join(dir, name), raw, { mode: PRIVATE_FILE });
  await writeFileAtomic(join(dir, name.replace(/\.ndjson$/, ".reasons.ndjson")), reasons, { mode: PRIVATE_FILE });
}
