import { parseIsoTime } from "./iso-time.js";
import { hasLoneSurrogate, malformedTextAt } from "./well-formed.js";

/**
 * The records the sinks store, one NDJSON line each, and the rules every one of them satisfies:
 * what compaction can turn into a Parquet row. The door (routes/ingest.ts) refuses a request that
 * breaks them; compaction checks every stored line again and quarantines one that does not hold
 * (written by an older server, or damaged on disk) instead of losing it.
 */
export interface EventRecord {
  id: string;
  unit_id: string;
  session_id: string | null;
  event: string;
  /** UTC, as `Date.toISOString` writes it. */
  ts: string;
  value: number | null;
  properties: Record<string, unknown> | null;
}

export interface ExposureRecord {
  id: string;
  unit_id: string;
  /** The enrolled session of a session experiment; absent or null for every other unit. */
  session_id?: string | null;
  experiment: string;
  phase: number;
  variant: string;
  ts: string;
  metadata: Record<string, unknown> | null;
}

/** One identify call: the anonymous id `anonymous_id` logged in as the user `unit_id` at `ts`. */
export interface IdentityRecord {
  id: string;
  anonymous_id: string;
  unit_id: string;
  ts: string;
}

/** Longest id, unit id, session id or name accepted: far above real ones, far below the body limit. */
export const MAX_TEXT = 512;

/** A reason `v` is not a non-empty, well-formed string of at most MAX_TEXT characters. */
export function textProblem(v: unknown, required: boolean): string | undefined {
  if (v === undefined || v === null) return required ? "is required (a string)" : undefined;
  if (typeof v !== "string") return "must be a string";
  if (v.length === 0) return required ? "must not be empty" : undefined;
  if (v.length > MAX_TEXT) return `is longer than ${MAX_TEXT} characters`;
  if (hasLoneSurrogate(v)) return "holds a lone UTF-16 surrogate (not valid Unicode)";
  return undefined;
}

/** A reason `v` is not absent, null, or a JSON object whose strings and keys are all well-formed. */
export function objectProblem(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) return "must be a JSON object";
  const at = malformedTextAt(v, "");
  return at === undefined ? undefined : `holds a lone UTF-16 surrogate at "${at.replace(/^\./, "") || "/"}"`;
}

/** A reason `v` is not a finite number or null (JSON's 1e400 parses to Infinity, which no column holds). */
export function valueProblem(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === "number" && Number.isFinite(v) ? undefined : "must be a finite number";
}

/**
 * Why a parsed NDJSON line of `kind` cannot become a Parquet row, or undefined when it can. The
 * rules are those of the door, on the stored field names, with `ts` as the server writes it.
 */
export function storedRecordProblem(kind: "events" | "exposures" | "identities", line: unknown): string | undefined {
  if (typeof line !== "object" || line === null || Array.isArray(line)) return "the line is not a JSON object";
  const r = line as Record<string, unknown>;
  const checks: [string, string | undefined][] =
    kind === "identities"
      ? [
          ["id", textProblem(r.id, true)],
          ["anonymous_id", textProblem(r.anonymous_id, true)],
          ["unit_id", textProblem(r.unit_id, true)],
          ["ts", storedTimeProblem(r.ts)],
        ]
      : kind === "events"
        ? [
            ["id", textProblem(r.id, true)],
            ["unit_id", textProblem(r.unit_id, true)],
            ["session_id", textProblem(r.session_id, false)],
            ["event", textProblem(r.event, true)],
            ["ts", storedTimeProblem(r.ts)],
            ["value", valueProblem(r.value)],
            ["properties", objectProblem(r.properties)],
          ]
        : [
            ["id", textProblem(r.id, true)],
            ["unit_id", textProblem(r.unit_id, true)],
            ["session_id", textProblem(r.session_id, false)],
            ["experiment", textProblem(r.experiment, true)],
            ["phase", phaseProblem(r.phase)],
            ["variant", textProblem(r.variant, true)],
            ["ts", storedTimeProblem(r.ts)],
            ["metadata", objectProblem(r.metadata)],
          ];
  const bad = checks.find(([, problem]) => problem !== undefined);
  return bad ? `"${bad[0]}" ${bad[1]}` : undefined;
}

/** The Parquet column is a 32-bit INTEGER. */
export function phaseProblem(v: unknown): string | undefined {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2 ** 31 - 1 ? undefined : "must be an integer from 0 to 2^31-1";
}

function storedTimeProblem(v: unknown): string | undefined {
  if (typeof v !== "string") return "must be a date-time string";
  const t = parseIsoTime(v);
  return "problem" in t ? t.problem : undefined;
}
