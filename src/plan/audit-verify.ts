import { GENESIS_HASH, hashAuditRecord, type AuditRecord } from "./audit.js";

/**
 * The head of the audit chain as recorded outside the log (by a file-layout target, in its `current`
 * pointer): seq 0 and 64 zeros before the first record.
 */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** One physical line of the audit log, parsed or not. */
export interface AuditLine {
  /** 1-based line number in the file. */
  line: number;
  raw: string;
  record?: AuditRecord;
  /** Why the line is not a record. */
  problem?: string;
}

/** `anchor`: the log does not end where the anchor says; `version`: a stored version differs from what its record hashed. */
export type AuditBreakReason = "unparsable" | "truncated" | "shape" | "hash" | "prevHash" | "seq" | "anchor" | "version";

export type AuditVerdict =
  | {
      ok: true;
      count: number;
      head: string;
      /** With an anchor: records after the anchored head (1 after an append cut short before the anchor moved). */
      unanchored?: number;
    }
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
 * so an edited line is named itself rather than by the line after it. With an `anchor`, the log must
 * also reach the anchored head and hold it unchanged: a chain alone cannot tell that records were
 * removed from its end, or that the whole log was deleted.
 */
export function verifyAuditChain(input: string | readonly AuditLine[] | readonly AuditRecord[], anchor?: AuditAnchor): AuditVerdict {
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
  if (!anchor) return { ok: true, count, head: prevHash };
  const records = lines.map((l) => l.record!);
  const fail = (line: number, seq: number, message: string): AuditVerdict => ({ ok: false, count, line, seq, reason: "anchor", message });
  if (anchor.seq > count)
    return fail(
      lines.length + 1,
      anchor.seq,
      count === 0
        ? `the log is empty, but the current pointer records that it held ${anchor.seq} record(s): the log was deleted or emptied`
        : `the log ends at seq ${count}, but the current pointer records seq ${anchor.seq} as its head: ${anchor.seq - count} record(s) were removed from the end`,
    );
  const anchored = anchor.seq === 0 ? undefined : records[anchor.seq - 1]!;
  if ((anchored?.hash ?? GENESIS_HASH) !== anchor.hash)
    return fail(
      anchor.seq === 0 ? 1 : lines[anchor.seq - 1]!.line,
      anchor.seq,
      `record seq ${anchor.seq} is not the head the current pointer records (its hash differs): the log was rewritten`,
    );
  // An append writes the log, then moves the anchor; a crash in between leaves one record unanchored.
  if (count - anchor.seq > 1)
    return fail(
      lines[anchor.seq + 1]!.line,
      anchor.seq + 2,
      `the log holds ${count - anchor.seq} records after seq ${anchor.seq}, the head the current pointer records; only the last append can be unanchored`,
    );
  return { ok: true, count, head: prevHash, unanchored: count - anchor.seq };
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
    ["action", (x) => x === "apply" || x === "rollback" || x === "stop" || x === "guard" || x === "guard_advance"],
    ["summary", (x) => typeof x === "string"],
    ["prevHash", (x) => typeof x === "string"],
    ["hash", (x) => typeof x === "string"],
  ];
  for (const [key, ok] of need) if (!ok(r[key])) return `field "${key}" is missing or has the wrong type`;
  const optional: [string, (x: unknown) => boolean][] = [
    ["dirty", (x) => typeof x === "boolean"],
    ["contentChecksum", (x) => typeof x === "string"],
    ["rulesetSha256", (x) => typeof x === "string"],
    [
      "amendments",
      (x) =>
        Array.isArray(x) &&
        x.every(
          (a) => typeof a?.experiment === "string" && Array.isArray(a.reasons) && a.reasons.every((r: unknown) => typeof r === "string"),
        ),
    ],
  ];
  for (const [key, ok] of optional) if (r[key] !== undefined && !ok(r[key])) return `field "${key}" has the wrong type`;
  return undefined;
}
