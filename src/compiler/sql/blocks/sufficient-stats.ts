import type { SqlContext } from "../context.js";
import type { PlannedMetric } from "../metric-plan.js";
import { cupacStatColumns } from "./cupac-covariates.js";
import { EXPOSURE_TOTAL_COLUMNS } from "./exposure-summary.js";

/** Output columns per shape, in the order of the stats types' fields. */
export const STAT_COLUMNS = {
  mean: ["n", "sum", "sum_sq"],
  ratio: ["n", "sum_num", "sum_den", "sum_num2", "sum_den2", "sum_num_den"],
  cuped: ["n", "sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy"],
  ratio_cuped: [
    "n",
    "sum_num",
    "sum_den",
    "sum_num2",
    "sum_den2",
    "sum_num_den",
    "sum_pnum",
    "sum_pden",
    "sum_pnum2",
    "sum_pden2",
    "sum_pnum_pden",
    "sum_num_pnum",
    "sum_num_pden",
    "sum_den_pnum",
    "sum_den_pden",
  ],
  clustered: ["n", "sum", "clusters", "sum_s2", "sum_n2", "sum_sn", "shared", "cross_ss", "cross_sn", "cross_ns", "cross_nn"],
  quantile: ["n", "value", "lower", "upper", "units", "sum_below", "sum_below2", "sum_events2", "sum_below_events"],
} as const;

function statExpressions(ctx: SqlContext, plan: PlannedMetric): string[] {
  const p = plan.prefix;
  const count = (e: string) => ctx.dialect.cast(`COUNT(${e})`, "double");
  switch (plan.shape) {
    case "ratio": {
      const [num, den] = [`${p}_num`, `${p}_den`];
      return [count("*"), `SUM(${num})`, `SUM(${den})`, `SUM(${num} * ${num})`, `SUM(${den} * ${den})`, `SUM(${num} * ${den})`];
    }
    case "ratio_cuped": {
      const [num, den, pnum, pden] = [`${p}_num`, `${p}_den`, `${p}_pnum`, `${p}_pden`];
      const product = (a: string, b: string) => `SUM(${a} * ${b})`;
      return [
        count("*"),
        `SUM(${num})`,
        `SUM(${den})`,
        product(num, num),
        product(den, den),
        product(num, den),
        `SUM(${pnum})`,
        `SUM(${pden})`,
        product(pnum, pnum),
        product(pden, pden),
        product(pnum, pden),
        product(num, pnum),
        product(num, pden),
        product(den, pnum),
        product(den, pden),
      ];
    }
    case "cuped": {
      const [y, x] = [`${p}_y`, `${p}_x`];
      return [count(y), `SUM(${y})`, `SUM(${y} * ${y})`, `SUM(${x})`, `SUM(${x} * ${x})`, `SUM(${x} * ${y})`];
    }
    default: {
      const y = `${p}_y`;
      return [count(y), `SUM(${y})`, `SUM(${y} * ${y})`];
    }
  }
}

/** Every plan's sums as select items named `${prefix}_${column}` (STAT_COLUMNS; a CUPED on several covariates names its own). */
export function statColumns(ctx: SqlContext, plans: readonly PlannedMetric[]): string[] {
  const count = (e: string) => ctx.dialect.cast(`COUNT(${e})`, "double");
  return plans.flatMap((plan) => {
    if (plan.shape === "cupac") return cupacStatColumns(plan, count).map(([name, e]) => `  ${e} AS ${plan.prefix}_${name}`);
    const names = STAT_COLUMNS[plan.shape];
    return statExpressions(ctx, plan).map((e, i) => `  ${e} AS ${plan.prefix}_${names[i]}`);
  });
}

/** docs/analysis.md (semantics, rule 8): per variant, only sums; the stats engine derives means and variances from them. */
export function sufficientStatsSelect(ctx: SqlContext, plans: readonly PlannedMetric[], withTotals = false): string {
  const columns = statColumns(ctx, plans);
  if (withTotals) {
    columns.push(`  ${ctx.dialect.cast("COUNT(*)", "double")} AS units`, ...EXPOSURE_TOTAL_COLUMNS.map((c) => `  MAX(t.${c}) AS ${c}`));
    return [
      "-- exp:sufficient_stats",
      "SELECT variant,",
      columns.join(",\n"),
      "FROM unit_metrics",
      "CROSS JOIN exposure_totals AS t",
      "GROUP BY variant",
      "ORDER BY variant",
    ].join("\n");
  }
  return [
    "-- exp:sufficient_stats",
    "SELECT variant,",
    columns.join(",\n"),
    "FROM unit_metrics",
    "GROUP BY variant",
    "ORDER BY variant",
  ].join("\n");
}
