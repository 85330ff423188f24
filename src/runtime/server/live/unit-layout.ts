import type { LiveAggregate, LiveExperiment, LiveMetricPlan, LiveValue } from "./definitions.js";
import { isAvailable } from "./definitions.js";

/**
 * Where a unit's numbers sit in its Float64Array (one per unit × experiment × phase, allocated at
 * its first exposure, so that an event only writes into it): each aggregate of each metric has a
 * slot (a mean has two: its sum and its count), and each metric keeps the value it currently
 * contributes to its variant's sums (two for a ratio), so a change can be applied as a difference.
 */
export interface UnitLayout {
  /** Slots per unit. */
  readonly size: number;
  /** The starting values of a unit that has no events yet. */
  readonly initial: Float64Array;
  readonly metrics: readonly MetricLayout[];
}

export interface MetricLayout {
  /** Index in the experiment's metric list. */
  readonly index: number;
  /** Position among the laid-out (live) metrics: where its sums sit in a variant's (variant-sums.ts). */
  readonly position: number;
  readonly plan: LiveMetricPlan;
  readonly ratio: boolean;
  /** First slot of each aggregate. */
  readonly aggregateSlots: readonly number[];
  /** Slot of the value the unit contributes (y, or the numerator with the denominator after it). */
  readonly valueSlot: number;
  /** The unit's current value(s) from its aggregate slots: y, or the numerator (NaN when missing). */
  readonly first: (u: Float64Array) => number;
  /** A ratio's denominator; 0 for the mean shape. */
  readonly second: (u: Float64Array) => number;
}

export function unitLayout(e: LiveExperiment | undefined): UnitLayout {
  let size = 0;
  const initial: number[] = [];
  const metrics: MetricLayout[] = [];
  (e?.metrics ?? []).forEach((m, index) => {
    if (!isAvailable(m)) return;
    const aggregateSlots = m.aggregates.map((a) => {
      const at = size;
      if (a.fn === "mean") initial.push(0, 0);
      else initial.push(a.fn === "min" || a.fn === "max" ? NaN : 0);
      size = initial.length;
      return at;
    });
    const read = (v: LiveValue) => valueReader(v, m.aggregates, aggregateSlots);
    const ratio = m.value.shape === "ratio";
    const first = m.value.shape === "ratio" ? read(m.value.num) : read(m.value.y);
    const second = m.value.shape === "ratio" ? read(m.value.den) : () => 0;
    const valueSlot = size;
    // A unit without events contributes what its aggregates give (0 for counts and sums).
    const blank = Float64Array.from(initial);
    initial.push(first(blank), ratio ? second(blank) : 0);
    size = initial.length;
    metrics.push({ index, position: metrics.length, plan: m, ratio, aggregateSlots, valueSlot, first, second });
  });
  return { size, initial: Float64Array.from(initial), metrics };
}

function valueReader(v: LiveValue, aggregates: readonly LiveAggregate[], slots: readonly number[]): (u: Float64Array) => number {
  switch (v.op) {
    case "agg": {
      const at = slots[v.index]!;
      if (aggregates[v.index]!.fn === "mean") return (u) => (u[at + 1]! > 0 ? u[at]! / u[at + 1]! : NaN);
      return (u) => u[at]!;
    }
    case "num": {
      const c = v.value;
      return () => c;
    }
    case "neg": {
      const x = valueReader(v.arg, aggregates, slots);
      return (u) => -x(u);
    }
    default: {
      const x = valueReader(v.args[0], aggregates, slots);
      const y = valueReader(v.args[1], aggregates, slots);
      switch (v.op) {
        case "+":
          return (u) => x(u) + y(u);
        case "-":
          return (u) => x(u) - y(u);
        case "*":
          return (u) => x(u) * y(u);
        default:
          // SQL's NULLIF: a division by zero leaves the unit without a value.
          return (u) => {
            const d = y(u);
            return d === 0 ? NaN : x(u) / d;
          };
      }
    }
  }
}
