/**
 * The ids a sink answers "duplicate" for: at least the `window` most recently accepted, and never
 * many more. Ids live in a few generations of about a quarter of the window each; when the older
 * generations hold a full window without the oldest, the oldest is dropped whole. Memory is then
 * bounded by the window, not by history; a duplicate of an older id is accepted here and removed
 * when its segment is compacted (compact-segment.ts), so Parquet still holds every id once.
 */
export class DedupIndex {
  private generations: Set<string>[] = [new Set()];
  private held = 0;
  private readonly generationSize: number;

  constructor(readonly window: number) {
    if (!Number.isSafeInteger(window) || window < 1) throw new RangeError(`the dedup window must be a positive integer, not ${window}`);
    this.generationSize = Math.max(1, Math.ceil(window / 4));
  }

  /** How many ids are held (between the window and the window plus one generation, once full). */
  get size(): number {
    return this.held;
  }

  has(id: string): boolean {
    for (let i = this.generations.length - 1; i >= 0; i--) if (this.generations[i]!.has(id)) return true;
    return false;
  }

  /** Records `id` as the newest; false when it was held already. */
  add(id: string): boolean {
    if (this.has(id)) return false;
    let newest = this.generations[this.generations.length - 1]!;
    if (newest.size >= this.generationSize) this.generations.push((newest = new Set()));
    newest.add(id);
    this.held++;
    while (this.generations.length > 1 && this.held - this.generations[0]!.size >= this.window) this.held -= this.generations.shift()!.size;
    return true;
  }
}
