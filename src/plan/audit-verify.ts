import { GENESIS_HASH, hashAuditRecord, type AuditRecord } from "./audit.js";

/** One physical line of the audit log, parsed or not. */
export interface AuditLine {
  /** 1-based line number in the file. */
  line: number;
  raw: string;
  record?: AuditRecord;
  /** Why the line is not a record. */
  problem?: string;
}

export type AuditBreakReason = "unparsable" | "truncated" | "shape" | "hash" | "prevHash" | "seq";

export type AuditVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; line: number; seq?: number; reason: AuditBreakReason; message: string };

/** Splits the log into lines; a last line without "\n" is a write cut short. */
export function readAuditLines(text: string): AuditLine[] {
  if (text === "") return [];
  const parts = text.split("\n");
  const complete = text.endsWith("\n");
  if (complete) parts.pop();
  return parts.map((raw, i) => {
    const line = i + 1;
    const truncated = !complete && i === parts.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      return { line, raw, problem: truncated ? "truncated last line (no newline, not JSON)" : `not JSON: ${(err as Error).message}` };
    }
    const shapeProblem = recordShapeProblem(parsed);
    if (shapeProblem) return { line, raw, problem: shapeProblem };
    if (truncated) return { line, raw, record: parsed as AuditRecord, problem: "truncated last line (no newline)" };
    return { line, raw, record: parsed as AuditRecord };
  });
}

export function parseAuditRecords(text: string): AuditRecord[] {
  return readAuditLines(text).flatMap((l) => (l.record && !l.problem ? [l.record] : []));
}

/**
 * Walks the chain and reports the first broken record. Checks a record's own hash before its links,
 * so an edited line is named itself rather than by the line after it.
 */
export function verifyAuditChain(input: string | readonly AuditLine[] | readonly AuditRecord[]): AuditVerdict {
  const lines: readonly AuditLine[] =
    typeof input === "string"
      ? readAuditLines(input)
      : input.map((x, i) => ("raw" in x ? (x as AuditLine) : { line: i + 1, raw: "", record: x as AuditRecord }));
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const l of lines) {
    const seq = typeof (l.record as { seq?: unknown } | undefined)?.seq === "number" ? l.record!.seq : undefined;
    const fail = (reason: AuditBreakReason, message: string): AuditVerdict => ({ ok: false, count, line: l.line, seq, reason, message });
    if (!l.record) {
      const reason: AuditBreakReason = l.problem?.startsWith("truncated")
        ? "truncated"
        : l.problem?.startsWith("not JSON")
          ? "unparsable"
          : "shape";
      return fail(reason, `line ${l.line}: ${l.problem ?? "not a record"}`);
    }
    if (l.problem) return fail(l.problem.startsWith("truncated") ? "truncated" : "shape", `line ${l.line} (seq ${seq}): ${l.problem}`);
    const r = l.record;
    const actual = hashAuditRecord(r);
    if (actual !== r.hash) return fail("hash", `record seq ${r.seq} (line ${l.line}) was altered: its hash does not match its content`);
    if (r.seq !== expectedSeq)
      return fail(
        "seq",
        `record seq ${r.seq} (line ${l.line}) is out of order: expected seq ${expectedSeq} (a record was deleted or moved)`,
      );
    if (r.prevHash !== prevHash)
      return fail("prevHash", `record seq ${r.seq} (line ${l.line}) does not link to the record before it (prevHash mismatch)`);
    prevHash = r.hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, count, head: prevHash };
}

function recordShapeProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return "not a JSON object";
  const r = v as Record<string, unknown>;
  const need: [string, (x: unknown) => boolean][] = [
    ["seq", (x) => Number.isInteger(x)],
    ["ts", (x) => typeof x === "string"],
    ["actor", (x) => typeof x === "string"],
    ["sourceCommit", (x) => x === null || typeof x === "string"],
    ["fromVersion", (x) => x === null || Number.isInteger(x)],
    ["toVersion", (x) => Number.isInteger(x)],
    ["action", (x) => x === "apply" || x === "rollback"],
    ["summary", (x) => typeof x === "string"],
    ["prevHash", (x) => typeof x === "string"],
    ["hash", (x) => typeof x === "string"],
  ];
  for (const [key, ok] of need) if (!ok(r[key])) return `field "${key}" is missing or has the wrong type`;
  return undefined;
}
