/**
 * The exposures a client has already logged, by unit × experiment × phase, least recently seen
 * dropped first once `capacity` is reached. After an eviction the same exposure may be logged
 * again; it carries the same id, so the server keeps one (and analysis takes the first per unit).
 */
export class ExposureDedup {
  private readonly seen = new Map<string, true>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`The exposure dedup size must be a positive integer, not ${capacity}.`);
  }

  /** True the first time (or the first time since eviction) the key is offered. */
  firstTime(experiment: string, phase: number, unit: string): boolean {
    const key = `${experiment}\u0000${phase}\u0000${unit}`;
    if (this.seen.has(key)) {
      // Refresh its place: a unit seen often stays deduplicated.
      this.seen.delete(key);
      this.seen.set(key, true);
      return false;
    }
    this.seen.set(key, true);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
