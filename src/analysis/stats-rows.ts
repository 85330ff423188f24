import type { MetricColumns } from "../compiler/sql/index.js";
import type { ClusteredStats, CupacStats, CupedStats, MeanStats, QuantileStats, RatioCupedStats, RatioStats } from "../stats/types.js";

/**
 * Warehouse numbers arrive as number, bigint (DuckDB BIGINT/HUGEINT), string (pg NUMERIC and
 * BIGINT) or null (SUM over no rows). The SQL casts every statistic to DOUBLE, so the other forms
 * only appear for engines that ignore the cast; null means an empty sum, i.e. 0.
 */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") {
    const n = Number(value);
    if (Number.isNaN(n)) throw new Error(`warehouse returned a non-numeric statistic: ${value}`);
    return n;
  }
  throw new Error(`warehouse returned a statistic of type ${typeof value}`);
}

/** A quantile order statistic is absent (NaN) when the variant had no events. */
function toOptionalNumber(value: unknown): number {
  return value === null || value === undefined ? NaN : toNumber(value);
}

export function toIsoTimestamp(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(String(value)) ? String(value) : `${String(value).replace(" ", "T")}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export type UnitStats = MeanStats | RatioStats | QuantileStats | ClusteredStats;

/** Reads one metric's statistics from a row of its query; `row` undefined means the variant had no units. */
export function readStats(
  cols: MetricColumns,
  row: Record<string, unknown> | undefined,
): { stats: UnitStats; covariate?: CupedStats | CupacStats | RatioCupedStats } {
  const get = (name: string) => toNumber(row?.[`${cols.prefix}_${name}`]);
  switch (cols.shape) {
    case "ratio":
      return {
        stats: {
          kind: "ratio",
          n: get("n"),
          sumNum: get("sum_num"),
          sumDen: get("sum_den"),
          sumNum2: get("sum_num2"),
          sumDen2: get("sum_den2"),
          sumNumDen: get("sum_num_den"),
        },
      };
    case "ratio_cuped": {
      const covariate: RatioCupedStats = {
        kind: "ratio_cuped",
        n: get("n"),
        sumNum: get("sum_num"),
        sumDen: get("sum_den"),
        sumNum2: get("sum_num2"),
        sumDen2: get("sum_den2"),
        sumNumDen: get("sum_num_den"),
        sumPreNum: get("sum_pnum"),
        sumPreDen: get("sum_pden"),
        sumPreNum2: get("sum_pnum2"),
        sumPreDen2: get("sum_pden2"),
        sumPreNumPreDen: get("sum_pnum_pden"),
        sumNumPreNum: get("sum_num_pnum"),
        sumNumPreDen: get("sum_num_pden"),
        sumDenPreNum: get("sum_den_pnum"),
        sumDenPreDen: get("sum_den_pden"),
      };
      const { n, sumNum, sumDen, sumNum2, sumDen2, sumNumDen } = covariate;
      return { stats: { kind: "ratio", n, sumNum, sumDen, sumNum2, sumDen2, sumNumDen }, covariate };
    }
    case "cuped": {
      const covariate: CupedStats = {
        kind: "cuped",
        n: get("n"),
        sumY: get("sum_y"),
        sumY2: get("sum_y2"),
        sumX: get("sum_x"),
        sumX2: get("sum_x2"),
        sumXY: get("sum_xy"),
      };
      return { stats: { kind: "mean", n: covariate.n, sum: covariate.sumY, sumSq: covariate.sumY2 }, covariate };
    }
    case "cupac": {
      const names = cols.covariates ?? [];
      const covariate: CupacStats = {
        kind: "cupac",
        covariates: names,
        n: get("n"),
        sumY: get("sum_y"),
        sumY2: get("sum_y2"),
        sumX: names.map((_, j) => get(`sum_x${j}`)),
        sumXY: names.map((_, j) => get(`sum_x${j}_y`)),
        // The SQL returns each cross product once (i ≤ j); the matrix is symmetric.
        sumXX: names.map((_, i) => names.map((_, j) => get(`sum_x${Math.min(i, j)}_x${Math.max(i, j)}`))),
      };
      return { stats: { kind: "mean", n: covariate.n, sum: covariate.sumY, sumSq: covariate.sumY2 }, covariate };
    }
    case "clustered":
      return {
        stats: {
          kind: "clustered",
          n: get("n"),
          sum: get("sum"),
          clusters: get("clusters"),
          sumS2: get("sum_s2"),
          sumN2: get("sum_n2"),
          sumSN: get("sum_sn"),
          shared: get("shared"),
          crossSS: get("cross_ss"),
          crossSN: get("cross_sn"),
          crossNS: get("cross_ns"),
          crossNN: get("cross_nn"),
        },
      };
    case "quantile": {
      const opt = (name: string) => toOptionalNumber(row?.[`${cols.prefix}_${name}`]);
      return {
        stats: {
          kind: "quantile",
          n: get("n"),
          quantile: cols.quantile!,
          value: opt("value"),
          lower: opt("lower"),
          upper: opt("upper"),
          clusters: {
            units: get("units"),
            sumBelow: get("sum_below"),
            sumBelow2: get("sum_below2"),
            sumEvents2: get("sum_events2"),
            sumBelowEvents: get("sum_below_events"),
          },
        },
      };
    }
    default:
      return { stats: { kind: "mean", n: get("n"), sum: get("sum"), sumSq: get("sum_sq") } };
  }
}
