/**
 * A plain TypeScript reading of the analysis semantics (docs/analysis.md) over the reference CSVs, producing the
 * per-variant sufficient statistics the SQL layer would produce. Deliberately simple loops.
 */
import type { CsvRow } from "./csv.js";
import type { CupedStats, MeanStats, RatioCupedStats, RatioStats, SufficientStats } from "../../src/stats/types.js";
import { quantileSufficientStats, type UnitEvent } from "./quantile-stats.js";

const DAY = 86400;

export interface SimpleMetric {
  kind: "conversion" | "count" | "sum" | "mean";
  event: string;
  field?: string;
}

export interface ReferenceMetric {
  event?: string;
  field?: string;
  metric: string;
  tier: "primary" | "secondary" | "guardrail";
  kind: "conversion" | "count" | "sum" | "mean" | "ratio" | "quantile";
  direction?: "increase" | "decrease";
  cuped?: boolean;
  max_regression?: number;
  quantile?: number;
  numerator?: SimpleMetric;
  denominator?: SimpleMetric;
}

interface Unit {
  variant: string;
  first: number;
}

function seconds(ts: string): number {
  return Date.parse(ts.replace(" ", "T") + "Z") / 1000;
}

export function exposedUnits(exposures: CsvRow[], experiment: string) {
  const firsts = new Map<string, number>();
  const variants = new Map<string, Set<string>>();
  for (const r of exposures) {
    if (r.experiment !== experiment) continue;
    const t = seconds(r.ts);
    firsts.set(r.unit_id, Math.min(firsts.get(r.unit_id) ?? Infinity, t));
    const set = variants.get(r.unit_id) ?? new Set<string>();
    set.add(r.variant);
    variants.set(r.unit_id, set);
  }
  const units = new Map<string, Unit>();
  let multiple = 0;
  for (const [id, set] of variants) {
    if (set.size > 1) multiple++;
    else units.set(id, { variant: [...set][0]!, first: firsts.get(id)! });
  }
  return { units, multiple };
}

function fieldValue(r: CsvRow, field: string | undefined): number {
  if (field === "value") return r.value === "" ? NaN : Number(r.value);
  const key = (field ?? "").split(".")[1]!;
  const v = (JSON.parse(r.properties || "{}") as Record<string, unknown>)[key];
  return v === undefined || v === null ? NaN : Number(v);
}

/** Per-unit values over [first + lo, first + hi) days; undefined for a mean metric without events. */
function unitValues(events: CsvRow[], units: Map<string, Unit>, m: SimpleMetric, lo: number, hi: number) {
  const acc = new Map<string, { count: number; sum: number }>();
  for (const r of events) {
    if (r.event !== m.event) continue;
    const u = units.get(r.unit_id);
    if (!u) continue;
    const t = seconds(r.ts);
    if (t < u.first + lo * DAY || t >= u.first + hi * DAY) continue;
    const a = acc.get(r.unit_id) ?? { count: 0, sum: 0 };
    a.count++;
    if (m.kind === "sum" || m.kind === "mean") a.sum += fieldValue(r, m.field);
    acc.set(r.unit_id, a);
  }
  const out = new Map<string, number>();
  for (const id of units.keys()) {
    const a = acc.get(id);
    if (m.kind === "mean") {
      if (a) out.set(id, a.sum / a.count);
    } else if (m.kind === "conversion") out.set(id, a ? 1 : 0);
    else if (m.kind === "count") out.set(id, a ? a.count : 0);
    else out.set(id, a ? a.sum : 0);
  }
  return out;
}

export function sufficientStats(
  events: CsvRow[],
  units: Map<string, Unit>,
  variants: string[],
  m: ReferenceMetric,
  windowDays: number,
  lookbackDays: number,
): Record<string, SufficientStats> {
  const out: Record<string, SufficientStats> = {};
  if (m.kind === "quantile") {
    const byVariant = new Map<string, UnitEvent[]>(variants.map((v) => [v, []]));
    for (const r of events) {
      if (r.event !== m.event) continue;
      const u = units.get(r.unit_id);
      if (!u) continue;
      const t = seconds(r.ts);
      if (t < u.first || t >= u.first + windowDays * DAY) continue;
      byVariant.get(u.variant)!.push({ unit: r.unit_id, value: fieldValue(r, m.field) });
    }
    for (const v of variants) out[v] = quantileSufficientStats(byVariant.get(v)!, m.quantile!);
    return out;
  }
  if (m.kind === "ratio") {
    const num = unitValues(events, units, m.numerator!, 0, windowDays);
    const den = unitValues(events, units, m.denominator!, 0, windowDays);
    // With CUPED the same numerator and denominator over the lookback are the covariate.
    const withCovariate = m.cuped !== false;
    const preNum = withCovariate ? unitValues(events, units, m.numerator!, -lookbackDays, 0) : undefined;
    const preDen = withCovariate ? unitValues(events, units, m.denominator!, -lookbackDays, 0) : undefined;
    for (const v of variants) {
      let n = 0,
        sumNum = 0,
        sumDen = 0,
        sumNum2 = 0,
        sumDen2 = 0,
        sumNumDen = 0;
      let sumPreNum = 0,
        sumPreDen = 0,
        sumPreNum2 = 0,
        sumPreDen2 = 0,
        sumPreNumPreDen = 0;
      let sumNumPreNum = 0,
        sumNumPreDen = 0,
        sumDenPreNum = 0,
        sumDenPreDen = 0;
      for (const [id, u] of units) {
        if (u.variant !== v) continue;
        const a = num.get(id)!,
          b = den.get(id)!;
        n++;
        sumNum += a;
        sumDen += b;
        sumNum2 += a * a;
        sumDen2 += b * b;
        sumNumDen += a * b;
        const c = preNum?.get(id) ?? 0,
          d = preDen?.get(id) ?? 0;
        sumPreNum += c;
        sumPreDen += d;
        sumPreNum2 += c * c;
        sumPreDen2 += d * d;
        sumPreNumPreDen += c * d;
        sumNumPreNum += a * c;
        sumNumPreDen += a * d;
        sumDenPreNum += b * c;
        sumDenPreDen += b * d;
      }
      out[v] = withCovariate
        ? ({
            kind: "ratio_cuped",
            n,
            sumNum,
            sumDen,
            sumNum2,
            sumDen2,
            sumNumDen,
            sumPreNum,
            sumPreDen,
            sumPreNum2,
            sumPreDen2,
            sumPreNumPreDen,
            sumNumPreNum,
            sumNumPreDen,
            sumDenPreNum,
            sumDenPreDen,
          } satisfies RatioCupedStats)
        : ({ kind: "ratio", n, sumNum, sumDen, sumNum2, sumDen2, sumNumDen } satisfies RatioStats);
    }
    return out;
  }
  const simple = m as SimpleMetric;
  const y = unitValues(events, units, simple, 0, windowDays);
  const withCovariate = m.cuped !== false && m.kind !== "mean";
  const x = withCovariate ? unitValues(events, units, simple, -lookbackDays, 0) : undefined;
  for (const v of variants) {
    let n = 0,
      sumY = 0,
      sumY2 = 0,
      sumX = 0,
      sumX2 = 0,
      sumXY = 0;
    for (const [id, u] of units) {
      if (u.variant !== v || !y.has(id)) continue;
      const a = y.get(id)!;
      const b = x ? x.get(id)! : 0;
      n++;
      sumY += a;
      sumY2 += a * a;
      sumX += b;
      sumX2 += b * b;
      sumXY += a * b;
    }
    out[v] = x
      ? ({ kind: "cuped", n, sumY, sumY2, sumX, sumX2, sumXY } satisfies CupedStats)
      : ({ kind: "mean", n, sum: sumY, sumSq: sumY2 } satisfies MeanStats);
  }
  return out;
}
