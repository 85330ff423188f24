import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { readTextIfExists, writeFileAtomic } from "../../../fsio/atomic.js";
import { PRIVATE_DIR, PRIVATE_FILE } from "../segment-files.js";

/**
 * The units `exp forget` removed, as the SHA-256 of their stored id (unit-id-hash.ts
 * storedIdDigest), one a line in `<data-dir>/privacy/tombstones`. Compaction leaves their rows out
 * of every segment it converts, so that a segment restored from a backup, or one a running server
 * was still writing, cannot bring a forgotten unit back.
 */
export function tombstonesPath(dataDir: string): string {
  return join(dataDir, "privacy", "tombstones");
}

export async function readTombstones(dataDir: string): Promise<Set<string>> {
  const text = await readTextIfExists(tombstonesPath(dataDir));
  return new Set((text ?? "").split("\n").filter((l) => /^[0-9a-f]{64}$/.test(l)));
}

/** Adds digests to the list, atomically and durably: the list is written before any row is removed. */
export async function addTombstones(dataDir: string, digests: Iterable<string>): Promise<void> {
  const all = await readTombstones(dataDir);
  for (const d of digests) all.add(d);
  mkdirSync(join(dataDir, "privacy"), { recursive: true, mode: PRIVATE_DIR });
  await writeFileAtomic(tombstonesPath(dataDir), [...all].map((d) => `${d}\n`).join(""), { mode: PRIVATE_FILE });
}

/** A DuckDB table `tombstones(digest)` for the compaction session. */
export function tombstoneTableSql(digests: ReadonlySet<string>): string {
  const values = [...digests].map((d) => `('${d}')`).join(", ");
  return digests.size > 0
    ? `CREATE OR REPLACE TEMP TABLE tombstones AS SELECT * FROM (VALUES ${values}) t(digest)`
    : "CREATE OR REPLACE TEMP TABLE tombstones (digest VARCHAR)";
}
