import { num, type DecisionDesign, type HorizonJson, type MinimumsJson } from "./analysis-types.js";
import type { Method } from "./types.js";

/**
 * The gates an analysis must pass before its results may decide (docs/analysis.md#decision): the
 * minimum duration and units per variant of the decision framework, and for a fixed-horizon test its
 * horizon. Each gate that is not met comes with the sentence that says why.
 */

const DAY = 86_400_000;

/** Without a design the engine knows neither the dates nor the rules; it then assumes the defaults and no dates. */
const NO_DESIGN: DecisionDesign = { minDurationDays: 7, minUnitsPerVariant: 1000, ship: "any_primary", guardrails: "must_pass", asOf: "" };

export function designOrDefault(design: DecisionDesign | undefined): DecisionDesign {
  return design ?? NO_DESIGN;
}

/** 12345 → "12,345", locale-free so that results are the same on every machine. */
export function thousands(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Whole days to one decimal, without a trailing ".0". */
export function days(n: number): string {
  return String(Number(n.toFixed(1)));
}

function daysBetween(from: string | undefined, to: string | undefined): number {
  if (!from || !to) return NaN;
  return (Date.parse(to) - Date.parse(from)) / DAY;
}

export interface Gate<T> {
  readonly json: T;
  /** Why the gate is not met (empty when it is). */
  readonly reasons: string[];
}

export function minimumsGate(
  design: DecisionDesign,
  units: Readonly<Record<string, number>>,
  weights: ReadonlyMap<string, number>,
): Gate<MinimumsJson> {
  const elapsed = daysBetween(design.start, design.asOf);
  let smallest: string | null = null;
  for (const [variant, weight] of weights) {
    if (!(weight > 0)) continue;
    if (smallest === null || (units[variant] ?? 0) < (units[smallest] ?? 0)) smallest = variant;
  }
  const smallestUnits = smallest === null ? 0 : (units[smallest] ?? 0);
  const reasons: string[] = [];
  if (!(elapsed >= design.minDurationDays)) {
    reasons.push(
      Number.isFinite(elapsed)
        ? `Minimum duration not reached: ${days(Math.max(0, elapsed))} of ${days(design.minDurationDays)} days since the phase started on ${design.start!.slice(0, 10)}; a decision needs at least that long (decision.min_duration) to cover weekly cycles.`
        : `Minimum duration unknown: the analysis cannot tell when the phase started (no exposures), so it cannot have run the ${days(design.minDurationDays)} days a decision needs (decision.min_duration).`,
    );
  }
  if (smallest !== null && smallestUnits < design.minUnitsPerVariant) {
    reasons.push(
      `Minimum sample not reached: "${smallest}" has ${thousands(smallestUnits)} of the ${thousands(design.minUnitsPerVariant)} units each variant needs (decision.min_units_per_variant).`,
    );
  }
  return {
    json: {
      duration_days: design.minDurationDays,
      elapsed_days: num(elapsed),
      units_per_variant: design.minUnitsPerVariant,
      smallest_variant: smallest,
      smallest_units: smallestUnits,
      met: reasons.length === 0,
    },
    reasons,
  };
}

const EARLY = "results before the horizon are not valid evidence; use method: sequential to decide early";

/**
 * A fixed-horizon test is valid evidence only at its planned horizon: the planned sample when the power
 * design sizes one, else the schedule end. The other methods control their error rates at every look.
 */
export function horizonGate(method: Method, design: DecisionDesign, totalUnits: number): Gate<HorizonJson> {
  if (method !== "fixed") return { json: { basis: "not_required", reached: true }, reasons: [] };
  if (design.plannedUnits !== undefined && design.plannedUnits > 0) {
    const reached = totalUnits >= design.plannedUnits;
    const share = Math.floor((100 * totalUnits) / design.plannedUnits);
    return {
      json: { basis: "planned_units", reached, units: totalUnits, planned_units: design.plannedUnits },
      reasons: reached
        ? []
        : [
            `Fixed-horizon test: ${thousands(totalUnits)} of ${thousands(design.plannedUnits)} planned units (${share}%, from the power design); ${EARLY}.`,
          ],
    };
  }
  if (design.end) {
    const reached = design.asOf !== "" && Date.parse(design.asOf) >= Date.parse(design.end);
    const elapsed = daysBetween(design.start, design.asOf);
    const total = daysBetween(design.start, design.end);
    const progress =
      Number.isFinite(elapsed) && Number.isFinite(total) ? `${days(Math.max(0, Math.min(elapsed, total)))} of ${days(total)} days` : "";
    return {
      json: { basis: "end_date", reached, end: design.end, elapsed_days: num(elapsed), total_days: num(total) },
      reasons: reached
        ? []
        : [`Fixed-horizon test: ${progress ? `${progress} ` : ""}until its end on ${design.end.slice(0, 10)}; ${EARLY}.`],
    };
  }
  return {
    json: { basis: "undeclared", reached: false },
    reasons: [
      "Fixed-horizon test without a horizon: declare schedule.end or a power design (power.mde and power.baseline) so the analysis knows when its results are valid evidence, or use method: sequential to decide early.",
    ],
  };
}
