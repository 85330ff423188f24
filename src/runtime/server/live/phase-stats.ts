import type { Attributes, Test } from "../../condition.js";
import type { LiveAggregate } from "./definitions.js";
import type { MetricLayout, UnitLayout } from "./unit-layout.js";
import { VariantSums } from "./variant-sums.js";

/** One unit in one experiment phase: its variant (null once seen in two), first exposure and slots (unit-layout.ts). */
export interface UnitState {
  variant: VariantSums | null;
  first: number;
  readonly slots: Float64Array;
}

const NO_PROPERTIES: Attributes = Object.freeze({});
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The live statistics of one experiment phase, as `exp analyze` defines them (docs/analysis.md,
 * semantics): a unit counts from its first exposure in the variant it was exposed to, a unit
 * exposed to two variants leaves the analysis, and a metric counts the unit's events in
 * [first exposure, first exposure + window). Events count as they arrive after the unit's exposure.
 */
export class PhaseStats {
  readonly units = new Map<string, UnitState>();
  readonly variants = new Map<string, VariantSums>();
  /** Units seen in more than one variant (left out, as the analysis leaves them out). */
  multipleExposures = 0;

  constructor(readonly layout: UnitLayout) {}

  variant(key: string): VariantSums {
    let v = this.variants.get(key);
    if (!v) this.variants.set(key, (v = new VariantSums(key, this.layout.metrics.length)));
    return v;
  }

  expose(unit: string, variant: string, at: number): void {
    const u = this.units.get(unit);
    if (!u) {
      const v = this.variant(variant);
      const state: UnitState = { variant: v, first: at, slots: this.layout.initial.slice() };
      this.units.set(unit, state);
      v.units++;
      this.contribute(state, v, 1);
      return;
    }
    if (u.variant === null) return;
    if (u.variant.variant !== variant) {
      u.variant.units--;
      this.contribute(u, u.variant, -1);
      u.variant = null;
      this.multipleExposures++;
      return;
    }
    // An exposure that arrives late but happened earlier moves the window's start.
    if (at < u.first) u.first = at;
  }

  /**
   * An event that feeds aggregate `j` of the metric laid out as `m`, with its value (NaN when the
   * aggregate reads none or the event lacks it) and the filter compiled from the aggregate's `where`.
   */
  event(
    unit: string,
    m: MetricLayout,
    j: number,
    agg: LiveAggregate,
    x: number,
    at: number,
    test: Test | undefined,
    properties: Attributes | null,
  ): void {
    const u = this.units.get(unit);
    if (!u || u.variant === null || at < u.first || at >= u.first + m.plan.windowMs) return;
    if (test) {
      const attrs = agg.whereReadsEvent
        ? {
            ...properties,
            value: Number.isNaN(x) ? null : x,
            days_since_exposure: Math.floor((at - u.first) / DAY_MS),
            hours_since_exposure: Math.floor((at - u.first) / HOUR_MS),
          }
        : (properties ?? NO_PROPERTIES);
      if (!test(unit, attrs, at)) return;
    }
    const s = u.slots;
    const at0 = m.aggregateSlots[j]!;
    switch (agg.fn) {
      case "count":
        s[at0] = s[at0]! + 1;
        break;
      case "any":
        if (s[at0] === 1) return;
        s[at0] = 1;
        break;
      case "sum":
        s[at0] = s[at0]! + x;
        break;
      case "mean":
        s[at0] = s[at0]! + x;
        s[at0 + 1] = s[at0 + 1]! + 1;
        break;
      case "min":
        if (!(x < s[at0]!) && !Number.isNaN(s[at0]!)) return;
        s[at0] = x;
        break;
      case "max":
        if (!(x > s[at0]!) && !Number.isNaN(s[at0]!)) return;
        s[at0] = x;
        break;
    }
    const k = m.position;
    const a = m.first(s);
    const b = m.second(s);
    const was = m.valueSlot;
    if (Object.is(a, s[was]) && Object.is(b, s[was + 1])) return;
    u.variant.apply(k, m.ratio, s[was]!, s[was + 1]!, -1);
    u.variant.apply(k, m.ratio, a, b, 1);
    s[was] = a;
    s[was + 1] = b;
  }

  private contribute(u: UnitState, v: VariantSums, sign: 1 | -1): void {
    this.layout.metrics.forEach((m, k) => v.apply(k, m.ratio, u.slots[m.valueSlot]!, u.slots[m.valueSlot + 1]!, sign));
  }
}
