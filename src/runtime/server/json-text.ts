/**
 * The JSON text of a number and of a string, as JSON.stringify writes them, without the
 * serializer JSON.stringify sets up for any value: the request log line and the assignment
 * answer write a few of each per request, and that set-up was a visible share of its time.
 */

/** A finite number's shortest text; null for the others (NaN, ±Infinity), as JSON.stringify writes them. */
export function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}

/**
 * What JSON.stringify escapes in a string: a quote, a backslash, control characters and lone
 * surrogates. Any surrogate sends a string the long way, paired ones too (JSON.stringify keeps
 * those as they are): they are rare in ids, and telling them apart is JSON.stringify's work.
 */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string quoted; one holding anything JSON.stringify would escape takes JSON.stringify. */
export function stringText(s: string): string {
  return ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}
