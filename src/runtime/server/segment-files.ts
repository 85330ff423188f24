/** The data dir holds collected data and the token secret: only the server's user may read it. */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/**
 * File names of the data dir. A segment `events-000042.ndjson` becomes the Parquet part
 * `part-000042.parquet`: the shared number is what makes compaction idempotent (a part either
 * exists, complete, or not at all) and keeps a number from ever being reused.
 */
export function segmentName(kind: string, n: number): string {
  return `${kind}-${String(n).padStart(6, "0")}.ndjson`;
}

export function partName(n: number): string {
  return `part-${String(n).padStart(6, "0")}.parquet`;
}

export function segmentNumber(kind: string, file: string): number | undefined {
  const m = new RegExp(`^${kind}-(\\d+)\\.ndjson$`).exec(file);
  return m ? Number(m[1]) : undefined;
}

export function partNumber(file: string): number | undefined {
  const m = /^part-(\d+)\.parquet$/.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** The highest segment number among `files` (segments of `kind`, or Parquet parts); 0 when none. */
export function highestPart(files: readonly string[], kind: string): number {
  let max = 0;
  for (const f of files) max = Math.max(max, segmentNumber(kind, f) ?? partNumber(f) ?? 0);
  return max;
}
