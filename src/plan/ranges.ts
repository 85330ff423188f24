/** Half-open integer ranges [start, end) in basis points, as used by layer slots and variant weights. */
export type Range = [number, number];

export function width(ranges: readonly Range[]): number {
  let w = 0;
  for (const [a, b] of ranges) w += Math.max(0, b - a);
  return w;
}

/** Total width of the intersection of two range sets (each may be unsorted but not self-overlapping). */
export function intersectWidth(a: readonly Range[], b: readonly Range[]): number {
  let w = 0;
  for (const [a0, a1] of a) for (const [b0, b1] of b) w += Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  return w;
}

/** Cumulative variant ranges from basis-point weights, in declaration order (docs/hashing.md). */
export function variantRanges(variants: readonly { key: string; weight: number }[]): Map<string, Range> {
  const out = new Map<string, Range>();
  let at = 0;
  for (const v of variants) {
    out.set(v.key, [at, at + v.weight]);
    at += v.weight;
  }
  return out;
}
