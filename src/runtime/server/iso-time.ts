/**
 * Strict ISO-8601 / RFC 3339 date-times for ingestion. `Date.parse` is too lenient for data that
 * must survive compaction: it takes six-digit years (`+010000-…`, which DuckDB cannot cast) and
 * rolls impossible dates over (`2026-02-31` becomes March 3rd). This accepts a full date, a time to
 * the minute or finer, and `Z` or a numeric offset, with every field in range.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|([+-])(\d{2}):?(\d{2}))$/;

/** The earliest and latest instants an event or exposure may carry (ms since the epoch). */
export const EARLIEST_MS = Date.UTC(1970, 0, 1);
export const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Milliseconds since the epoch, or a reason the text is not a time we store. */
export function parseIsoTime(text: string): { ms: number } | { problem: string } {
  const m = ISO.exec(text);
  if (!m) return { problem: "is not an ISO-8601 date-time like 2026-12-02T10:00:00Z" };
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3));
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59)
    return { problem: "names a date or time of day that does not exist" };
  let offsetMin = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return { problem: "has an offset out of range" };
    offsetMin = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const at = utc(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
  if (at < EARLIEST_MS || at > LATEST_MS) return { problem: "is outside the years 1970 to 9999" };
  return { ms: at };
}

function daysIn(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

/** Date.UTC without its mapping of years 0–99 to 1900–1999. */
function utc(year: number, month: number, day: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const at = new Date(0);
  at.setUTCFullYear(year, month, day);
  at.setUTCHours(h, mi, s, ms);
  return at.getTime();
}
