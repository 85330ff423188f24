/** An ISO-8601 time in ms since the epoch; `fallback` when absent or unreadable (validation reports it before publishing). */
export function instant(iso: string | undefined, fallback: number): number {
  if (iso === undefined) return fallback;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? fallback : t;
}
