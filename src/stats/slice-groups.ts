import type { SufficientStats } from "./types.js";

/** One value of an exposure attribute: its units and metric statistics per variant, as the SQL returns them. */
export interface SliceInput {
  /** The attribute's value at first exposure; null when the exposure did not record it. */
  readonly slice: string | null;
  readonly units: Readonly<Record<string, number>>;
  /** stats[metric][variant]: sums, so slices merge by adding them. */
  readonly stats: Readonly<Record<string, Readonly<Record<string, SufficientStats>>>>;
  /** products[outcome][variant]: Σ outcome·label over the units (fairness labels only). */
  readonly products?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** A slice as analysed: one attribute value, or several small ones merged. */
export interface SliceGroup extends SliceInput {
  readonly slice: string;
  /** The values merged into this group (absent for a value shown on its own). */
  readonly merged?: string[];
}

/** How a missing attribute value and the merged small slices are labelled. */
export const NO_VALUE = "(none)";
export const OTHER = "(other)";

function total(units: Readonly<Record<string, number>>): number {
  return Object.values(units).reduce((a, b) => a + b, 0);
}

/** Adds two statistics of one kind field by field: every field of the summable kinds is a sum or a count. */
function addStats(a: SufficientStats, b: SufficientStats): SufficientStats {
  if (a.kind !== b.kind || a.kind === "quantile" || a.kind === "clustered") return a;
  const out: Record<string, unknown> = { kind: a.kind };
  for (const [k, v] of Object.entries(a)) if (k !== "kind") out[k] = (v as number) + ((b as unknown as Record<string, number>)[k] ?? 0);
  return out as unknown as SufficientStats;
}

function addNested<T>(
  a: Readonly<Record<string, Readonly<Record<string, T>>>>,
  b: Readonly<Record<string, Readonly<Record<string, T>>>>,
  add: (x: T, y: T) => T,
): Record<string, Record<string, T>> {
  const out: Record<string, Record<string, T>> = {};
  for (const src of [a, b])
    for (const [outer, inner] of Object.entries(src)) {
      const slot = (out[outer] ??= {});
      for (const [k, v] of Object.entries(inner)) slot[k] = slot[k] === undefined ? v : add(slot[k]!, v);
    }
  return out;
}

/** The union of slices as one group: units, statistics and products summed. */
export function mergeSlices(name: string, parts: readonly SliceInput[]): SliceGroup {
  let units: Record<string, number> = {};
  let stats: Record<string, Record<string, SufficientStats>> = {};
  let products: Record<string, Record<string, number>> = {};
  for (const p of parts) {
    units = addNested({ u: units }, { u: p.units }, (x, y) => x + y).u ?? {};
    stats = addNested(stats, p.stats, addStats);
    products = addNested(products, p.products ?? {}, (x, y) => x + y);
  }
  return { slice: name, merged: parts.map((p) => p.slice ?? NO_VALUE), units, stats, products };
}

/**
 * The slices to show, never one under `minUnits` units over all variants: smaller values are merged
 * into "(other)", and when that is still too small it joins the smallest slice shown, so no value
 * under the minimum can be read off on its own, not even by subtracting the others from the total.
 * Ordered by units, largest first; ties by name.
 */
export function groupSlices(slices: readonly SliceInput[], minUnits: number): SliceGroup[] {
  const named = slices.map((s) => ({ ...s, slice: s.slice ?? NO_VALUE }));
  const shown: SliceGroup[] = named.filter((s) => total(s.units) >= minUnits);
  const small = named.filter((s) => total(s.units) < minUnits);
  const order = (a: SliceGroup, b: SliceGroup) => total(b.units) - total(a.units) || a.slice.localeCompare(b.slice);
  shown.sort(order);
  if (small.length === 0) return shown;
  const other = mergeSlices(OTHER, small);
  if (total(other.units) >= minUnits || shown.length === 0) return [...shown, other];
  const smallest = shown.pop()!;
  const joined = mergeSlices(`${smallest.slice} + ${OTHER}`, [smallest, ...small]);
  return [...shown, joined].sort(order);
}
