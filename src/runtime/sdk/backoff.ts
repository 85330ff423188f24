/**
 * The wait before retry `attempt` (1, 2, …): "full jitter", a uniform draw from 0 up to the
 * exponential cap, so that clients that failed together do not retry together. A server's
 * `Retry-After` is a floor.
 */
export function retryDelay(
  attempt: number,
  o: { baseDelayMs: number; maxDelayMs: number; random: () => number },
  retryAfterMs?: number,
): number {
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  const jittered = Math.floor(o.random() * cap);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}

/** `Retry-After` as ms from `now`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
