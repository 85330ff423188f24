import { closest } from "../../diagnostics/suggest.js";

export type TableRole = "exposures" | "events" | "identities";

/** A column the analysis reads, under its standard name (docs/workspace.md#warehouse-tables). */
export interface ExpectedColumn {
  name: string;
  kind: "text" | "time" | "number" | "json" | "integer";
  /** Without it no analysis runs; the others are read only by the metrics or features that use them. */
  required: boolean;
}

export const EXPECTED_COLUMNS: Record<TableRole, readonly ExpectedColumn[]> = {
  exposures: [
    { name: "unit_id", kind: "text", required: true },
    { name: "experiment", kind: "text", required: true },
    { name: "variant", kind: "text", required: true },
    { name: "ts", kind: "time", required: true },
    { name: "session_id", kind: "text", required: false },
    { name: "attributes", kind: "json", required: false },
    { name: "phase", kind: "integer", required: false },
  ],
  events: [
    { name: "unit_id", kind: "text", required: true },
    { name: "event", kind: "text", required: true },
    { name: "ts", kind: "time", required: true },
    { name: "value", kind: "number", required: false },
    { name: "session_id", kind: "text", required: false },
    { name: "properties", kind: "json", required: false },
    { name: "event_id", kind: "text", required: false },
  ],
  identities: [
    { name: "anonymous_id", kind: "text", required: true },
    { name: "unit_id", kind: "text", required: true },
    { name: "ts", kind: "time", required: true },
  ],
};

/** Names people give the standard columns in their own tables, so a near miss of another spelling is still found. */
const SYNONYMS: Record<string, readonly string[]> = {
  unit_id: ["user_id", "userid", "uid", "customer_id", "account_id", "device_id", "visitor_id", "anonymous_id", "user"],
  experiment: ["experiment_key", "experiment_id", "experiment_name", "exp", "test"],
  variant: ["variation", "variant_key", "variant_id", "arm", "treatment", "group"],
  ts: ["timestamp", "time", "created_at", "event_time", "event_timestamp", "occurred_at", "exposed_at", "received_at"],
  event: ["event_name", "name", "event_type", "type", "action"],
  value: ["amount", "revenue", "event_value"],
  properties: ["props", "event_properties"],
  attributes: ["attrs", "context"],
};

/** The broad type of a catalogue type name, in DuckDB's or PostgreSQL's spelling. */
export function typeKind(type: string): "time" | "number" | "text" | "json" | "other" {
  const t = type.toLowerCase();
  if (/timestamp|date/.test(t)) return "time";
  if (/int|double|real|numeric|decimal|float/.test(t)) return "number";
  if (/char|text|string/.test(t)) return "text";
  if (/json|struct|map/.test(t)) return "json";
  return "other";
}

/**
 * The column of the table that most likely holds a missing standard column: a known other name
 * ("user_id" for unit_id), a name that starts like it ("event_nme" for event), or a near spelling.
 */
export function guessColumn(expected: string, candidates: readonly string[]): string | undefined {
  const lower = new Map(candidates.map((c) => [c.toLowerCase(), c]));
  for (const s of SYNONYMS[expected] ?? []) if (lower.has(s)) return lower.get(s);
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(expected) || expected.startsWith(c.toLowerCase()));
  if (prefixed.length === 1) return prefixed[0];
  return closest(expected, candidates);
}
