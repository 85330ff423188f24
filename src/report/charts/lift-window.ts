import type { DailyPoint } from "../model.js";
import { steady } from "./render.js";

/**
 * Which analyses over time the cumulative-lift chart draws, and the y-range it shows. The first
 * analyses rest on a handful of units; their intervals are so wide that drawn at full size they
 * flatten the rest of the chart into a line. So early analyses below a minimum of units per arm
 * are left out, and the y-range is fitted to the precise intervals; wider ones are cut at the
 * chart's edge and the cut is marked.
 */

/** Below this many units in either arm an analysis is not drawn (normal intervals are not yet trustworthy). */
export const MIN_UNITS_PER_ARM = 100;
/** Intervals up to this many times the narrowest one decide the y-range; wider ones may be cut. */
export const PRECISE_WIDTH_FACTOR = 3;

export interface LiftPoint {
  date: string;
  variant: string;
  lift: number;
  lo: number;
  hi: number;
}

/** Where an interval leaves the chart: drawn as ▲ at the top edge or ▼ at the bottom edge. */
export interface CutMark {
  date: string;
  variant: string;
  y: number;
  edge: "above" | "below";
}

export interface LiftWindow {
  points: LiftPoint[];
  domain: [number, number];
  cuts: CutMark[];
  /** Treatment-analyses left out because an arm had fewer than MIN_UNITS_PER_ARM units. */
  tooFewUnits: number;
  /** Treatment-analyses left out because the engine gave no relative lift (e.g. a zero control mean). */
  noLift: number;
}

export function liftWindow(daily: readonly DailyPoint[], control: string): LiftWindow {
  const points: LiftPoint[] = [];
  let tooFewUnits = 0;
  let noLift = 0;
  for (const d of daily) {
    for (const [variant, l] of Object.entries(d.lift)) {
      if (Math.min(d.units[control] ?? 0, d.units[variant] ?? 0) < MIN_UNITS_PER_ARM) tooFewUnits++;
      else if (l.rel_lift === null || l.rel_ci[0] === null || l.rel_ci[1] === null) noLift++;
      else points.push({ date: d.asOf.slice(0, 10), variant, lift: steady(l.rel_lift), lo: steady(l.rel_ci[0]), hi: steady(l.rel_ci[1]) });
    }
  }
  const domain = fittedDomain(points);
  const cuts: CutMark[] = [];
  for (const p of points) {
    if (p.hi > domain[1]) cuts.push({ date: p.date, variant: p.variant, y: domain[1], edge: "above" });
    if (p.lo < domain[0]) cuts.push({ date: p.date, variant: p.variant, y: domain[0], edge: "below" });
  }
  return { points, domain, cuts, tooFewUnits, noLift };
}

/** The hull of 0 and the precise intervals, padded a little and rounded out to a readable step. */
export function fittedDomain(points: readonly LiftPoint[]): [number, number] {
  const widths = points.map((p) => p.hi - p.lo).filter((w) => w > 0);
  const narrowest = widths.length ? Math.min(...widths) : 0;
  let lo = 0;
  let hi = 0;
  for (const p of points) {
    if (p.hi - p.lo <= narrowest * PRECISE_WIDTH_FACTOR) {
      lo = Math.min(lo, p.lo);
      hi = Math.max(hi, p.hi);
    }
  }
  if (hi - lo <= 0) return [-0.1, 0.1];
  const pad = (hi - lo) * 0.05;
  const step = niceStep((hi - lo + 2 * pad) / 5);
  return [steady(Math.floor((lo - pad) / step) * step), steady(Math.ceil((hi + pad) / step) * step)];
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
