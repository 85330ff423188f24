import type { SqlContext } from "../context.js";
import type { PlannedMetric } from "../metric-plan.js";

/**
 * docs/analysis.md (session experiments): a user-level metric of a session experiment keeps one value
 * per session, summed per user and variant (s = Σ values, n = sessions with a value). The clustered
 * standard error needs, per variant, the sums over users of s, n and their squares and product, and,
 * because one user's sessions fall in several variants, the cross products with the same user's
 * control cluster.
 */
export function userClustersSql(ctx: SqlContext, plan: PlannedMetric, control: string): string[] {
  const p = plan.prefix;
  const y = `${p}_y`;
  const double = (e: string) => ctx.dialect.cast(e, "double");
  const columns = [
    [double("SUM(c.n)"), "n"],
    ["SUM(c.s)", "sum"],
    [double("COUNT(*)"), "clusters"],
    ["SUM(c.s * c.s)", "sum_s2"],
    ["SUM(c.n * c.n)", "sum_n2"],
    ["SUM(c.s * c.n)", "sum_sn"],
    [double("COUNT(k.user_id)"), "shared"],
    ["SUM(c.s * k.s)", "cross_ss"],
    ["SUM(c.s * k.n)", "cross_sn"],
    ["SUM(c.n * k.s)", "cross_ns"],
    ["SUM(c.n * k.n)", "cross_nn"],
  ];
  return [
    "-- exp:user_clusters",
    "user_clusters AS (",
    `  SELECT variant, user_id, SUM(${y}) AS s, ${double(`COUNT(${y})`)} AS n`,
    "  FROM unit_metrics",
    `  WHERE ${y} IS NOT NULL`,
    "  GROUP BY variant, user_id",
    ")",
    "-- exp:clustered_stats",
    "SELECT c.variant,",
    columns.map(([e, name]) => `  ${e} AS ${p}_${name}`).join(",\n"),
    "FROM user_clusters AS c",
    `LEFT JOIN user_clusters AS k ON k.user_id = c.user_id AND k.variant = ${ctx.params.string(control)}`,
    "GROUP BY c.variant",
    "ORDER BY c.variant",
  ];
}
