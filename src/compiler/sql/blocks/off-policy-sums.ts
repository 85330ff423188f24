import type { Evaluation } from "../../../workspace/model.js";
import type { SqlDialect } from "../dialect.js";
import { inlineCommonTables } from "../inline-ctes.js";

/** The columns of the one row the query returns, all DOUBLE (src/stats/off-policy.ts OffPolicySums). */
export const OFF_POLICY_COLUMNS = [
  "n",
  "invalid",
  "units",
  "contexts",
  "actions",
  "sum_r",
  "sum_r2",
  "sum_w",
  "sum_w2",
  "sum_wr",
  "sum_w2r",
  "sum_w2r2",
  "sum_wr2",
  "clipped",
  "max_weight",
  "below_floor",
] as const;
export const OFF_POLICY_DR_COLUMNS = ["sum_d", "sum_d2", "sum_dr"] as const;

/**
 * One row of sums over an evaluation's logged decisions: what IPS, SNIPS and DR need, and the weight
 * diagnostics (docs/analysis.md#off-policy-evaluation). A decision is valid when its reward is present,
 * its logging propensity μ is in (0, 1] and its target probability π in [0, 1] (and, with a reward
 * model, both estimates are present); invalid rows are only counted. The weight is w = min(π/μ, clip).
 * Every value is inlined: the numbers come from the validated YAML, the names are quoted.
 */
export function offPolicySumsSql(dialect: SqlDialect, evaluation: Evaluation): string {
  const q = (name: string) => dialect.quoteIdentifier(name);
  const double = (e: string) => dialect.cast(e, "double");
  const c = evaluation.columns;
  const model = c.reward_estimate !== undefined && c.target_estimate !== undefined;
  const valid = [
    "ope_r IS NOT NULL",
    "ope_mu > 0",
    "ope_mu <= 1",
    "ope_pi >= 0",
    "ope_pi <= 1",
    ...(model ? ["ope_q_logged IS NOT NULL", "ope_q_target IS NOT NULL"] : []),
  ].join(" AND ");
  const cap = evaluation.clip;
  const sum = (e: string) => double(`SUM(${e})`);
  const count = (cond: string) => double(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`);
  const distinct = (col: string) => double(`COUNT(DISTINCT CASE WHEN ope_valid = 1 THEN ${col} END)`);
  const select: [string, string][] = [
    ["n", double("SUM(ope_valid)")],
    ["invalid", double("COUNT(*) - SUM(ope_valid)")],
    ["units", distinct("ope_unit")],
    ["contexts", distinct("ope_context")],
    ["actions", distinct("ope_action")],
    ["sum_r", sum("ope_rv")],
    ["sum_r2", sum("ope_rv * ope_rv")],
    ["sum_w", sum("ope_w")],
    ["sum_w2", sum("ope_w * ope_w")],
    ["sum_wr", sum("ope_w * ope_rv")],
    ["sum_w2r", sum("ope_w * ope_w * ope_rv")],
    ["sum_w2r2", sum("(ope_w * ope_rv) * (ope_w * ope_rv)")],
    ["sum_wr2", sum("ope_w * ope_rv * ope_rv")],
    ["clipped", cap === undefined ? double("0") : count(`ope_raw_w > ${number(cap)}`)],
    ["max_weight", double("MAX(ope_raw_w)")],
    ["below_floor", count(`ope_valid = 1 AND ope_mu < ${number(evaluation.propensity_floor)}`)],
  ];
  if (model) {
    // d = q̂_π + w(r − q̂_logged): the doubly robust estimator's per-decision term.
    const d = "(ope_q_target + ope_w * (ope_rv - ope_q_logged))";
    select.push(["sum_d", sum(d)], ["sum_d2", sum(`${d} * ${d}`)], ["sum_dr", sum(`${d} * ope_rv`)]);
  }
  const table = evaluation.table
    .split(".")
    .map((p) => q(p))
    .join(".");
  const sql = [
    `-- exp:off_policy_sums ${evaluation.key}`,
    "WITH",
    "decisions AS (",
    `  SELECT ${q(c.unit)} AS ope_unit, ${q(c.context)} AS ope_context, ${q(c.action)} AS ope_action,`,
    `    ${double(q(c.logging_propensity))} AS ope_mu, ${double(q(c.target_propensity))} AS ope_pi, ${dialect.numberOrBoolean(q(c.reward))} AS ope_r${
      model ? `, ${double(q(c.reward_estimate!))} AS ope_q_logged, ${double(q(c.target_estimate!))} AS ope_q_target` : ""
    }`,
    `  FROM ${table}`,
    "),",
    "validated AS (",
    `  SELECT *, CASE WHEN ${valid} THEN 1 ELSE 0 END AS ope_valid`,
    "  FROM decisions",
    "),",
    "weighted AS (",
    // Each term is NULL on an invalid row, so the sums leave it out; the division happens only on valid rows.
    "  SELECT *, CASE WHEN ope_valid = 1 THEN ope_r END AS ope_rv, CASE WHEN ope_valid = 1 THEN ope_pi / ope_mu END AS ope_raw_w",
    "  FROM validated",
    "),",
    "clipped AS (",
    `  SELECT *, ${cap === undefined ? "ope_raw_w" : `CASE WHEN ope_raw_w > ${number(cap)} THEN ${double(number(cap))} ELSE ope_raw_w END`} AS ope_w`,
    "  FROM weighted",
    ")",
    `SELECT ${select.map(([name, e]) => `${e} AS ${name}`).join(",\n  ")}`,
    "FROM clipped",
  ].join("\n");
  return dialect.inlineCommonTables ? inlineCommonTables(sql) : sql;
}

/** A validated finite number as a SQL literal (never exponent notation, which not every engine reads as DOUBLE). */
function number(x: number): string {
  return Number.isInteger(x) ? `${x}` : x.toFixed(12).replace(/0+$/, "");
}
