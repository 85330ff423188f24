import type { Duration } from "../model.js";

/**
 * A map keyed by user names, without a prototype: looking up "constructor" or "toString" in it finds
 * only what the user wrote. The loader's own maps are made this way, like the YAML mappings they extend.
 */
export function dict<T>(entries: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** `overrides:` of a flag or an experiment as written: variant → unit ids (numbers read as their text). */
export function buildOverrides(raw: unknown): Record<string, string[]> {
  const overrides = dict<string[]>();
  for (const [variant, ids] of Object.entries((raw ?? {}) as Record<string, unknown[]>)) overrides[variant] = (ids ?? []).map(String);
  return overrides;
}

/** "50%" → 0.5; a bare number is already a fraction. Shape is guaranteed by the schema. */
export function parseShare(v: unknown): number {
  if (typeof v === "number") return v;
  const s = String(v).trim();
  return Number(s.slice(0, -1)) / 100;
}

const UNIT_SECONDS = { d: 86400, h: 3600, m: 60 } as const;

/** "14d" → { seconds: 1209600, text: "14d" }. */
export function parseDuration(text: string): Duration {
  const unit = text.slice(-1) as keyof typeof UNIT_SECONDS;
  return { seconds: Number(text.slice(0, -1)) * UNIT_SECONDS[unit], text };
}

/** An ISO date or date-time → canonical UTC ISO string, or undefined when it is not a real instant. */
export function normalizeTimestamp(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00"] = m;
  const day = new Date(Date.UTC(+y!, +mo! - 1, +d!));
  // Date silently rolls 2026-02-30 over to March; a real date survives the round trip.
  if (day.getUTCFullYear() !== +y! || day.getUTCMonth() !== +mo! - 1 || day.getUTCDate() !== +d!) return undefined;
  if (+h > 23 || +mi > 59 || +s > 59) return undefined;
  const iso = m[4] === undefined ? `${y}-${mo}-${d}T00:00:00Z` : text.replace(" ", "T");
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
