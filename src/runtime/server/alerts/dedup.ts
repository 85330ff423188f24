/** Conditions remembered at most; past it the one raised longest ago is forgotten (and may alert again). */
const MAX_CONDITIONS = 10_000;

/**
 * When a raised condition alerts: the first time, then again only once `repeatAfterMs` has passed
 * while it persists (a reminder), and at once when it comes back after being resolved. A check
 * that runs every few seconds therefore sends one alert per condition, not one per check.
 */
export class AlertDedup {
  /** Condition key → when it last alerted (ms); in the order they last alerted. */
  private readonly lastAlerted = new Map<string, number>();

  constructor(private readonly repeatAfterMs: number) {}

  /** True when the condition `key`, raised at `now`, should alert; it is then remembered as alerted at `now`. */
  admit(key: string, now: number): boolean {
    const last = this.lastAlerted.get(key);
    if (last !== undefined && now - last < this.repeatAfterMs) return false;
    this.lastAlerted.delete(key);
    if (this.lastAlerted.size >= MAX_CONDITIONS) this.lastAlerted.delete(this.lastAlerted.keys().next().value!);
    this.lastAlerted.set(key, now);
    return true;
  }

  /** The condition no longer holds: the next time it is raised, it alerts. */
  resolve(key: string): void {
    this.lastAlerted.delete(key);
  }
}
