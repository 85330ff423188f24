/**
 * The quantile sufficient statistics the SQL layer returns (docs/analysis.md), from one arm's events in
 * plain loops: the sample quantile by linear interpolation, the order statistics at ranks
 * ⌈n·q ∓ z·√(n·q·(1−q))⌉ clamped to [1, n], and per unit its events and how many are at or below the
 * sample quantile, summed.
 */
import type { QuantileStats } from "../../src/stats/types.js";

const QZ = 1.959964;

export interface UnitEvent {
  unit: string | number;
  value: number;
}

export function quantileSufficientStats(events: readonly UnitEvent[], q: number): QuantileStats {
  const x = Float64Array.from(events, (e) => e.value).sort();
  const n = x.length;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const value = n === 0 ? NaN : lo + 1 < n ? x[lo]! + (pos - lo) * (x[lo + 1]! - x[lo]!) : x[lo]!;
  const h = QZ * Math.sqrt(n * q * (1 - q));
  const rank = (r: number) => Math.min(Math.max(Math.ceil(r), 1), n);
  const perUnit = new Map<string | number, { events: number; below: number }>();
  for (const e of events) {
    const u = perUnit.get(e.unit) ?? { events: 0, below: 0 };
    u.events++;
    if (e.value <= value) u.below++;
    perUnit.set(e.unit, u);
  }
  let sumBelow = 0;
  let sumBelow2 = 0;
  let sumEvents2 = 0;
  let sumBelowEvents = 0;
  for (const u of perUnit.values()) {
    sumBelow += u.below;
    sumBelow2 += u.below * u.below;
    sumEvents2 += u.events * u.events;
    sumBelowEvents += u.below * u.events;
  }
  return {
    kind: "quantile",
    n,
    quantile: q,
    value,
    lower: n === 0 ? NaN : x[rank(n * q - h) - 1]!,
    upper: n === 0 ? NaN : x[rank(n * q + h) - 1]!,
    clusters: { units: perUnit.size, sumBelow, sumBelow2, sumEvents2, sumBelowEvents },
  };
}
