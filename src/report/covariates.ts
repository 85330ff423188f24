import { fmtFixed, fmtPercent } from "./format.js";
import type { ReportAnalysis } from "./model.js";

/** One metric adjusted on several covariates (docs/analysis.md#multiple-covariates), formatted for every rendering. */
export interface CovariateRow {
  metric: string;
  /** "revenue θ 0.3743, page_views θ 4.272, …"; a covariate dropped as constant or collinear says so. */
  covariates: string;
  /** The share of the outcome's within-variant variance the covariates remove. */
  reduction: string;
  /** The same with the metric's own pre-period alone (what single-covariate CUPED gives). */
  ownAlone: string;
}

/** One row per metric with several covariates: the fit pools every variant, so its numbers are the same in each comparison. */
export function covariateRows(analysis: Pick<ReportAnalysis, "metrics">): CovariateRow[] {
  const rows: CovariateRow[] = [];
  for (const m of analysis.metrics) {
    const cuped = m.comparisons.find((c) => c.cuped?.applied && c.cuped.covariates)?.cuped;
    if (!cuped?.covariates) continue;
    rows.push({
      metric: m.metric,
      covariates: cuped.covariates
        .map(
          (c, j) => `${c.covariate}${j === 0 ? " (own)" : ""} ${c.used ? `θ ${fmtFixed(c.theta, 4)}` : "dropped (constant or collinear)"}`,
        )
        .join(", "),
      reduction: fmtPercent(cuped.variance_reduction, 1),
      ownAlone: fmtPercent(cuped.single_covariate_reduction, 1),
    });
  }
  return rows;
}

/** The markdown section, or nothing when no metric names covariates. */
export function covariatesMarkdown(analysis: Pick<ReportAnalysis, "metrics">): string {
  const rows = covariateRows(analysis);
  if (rows.length === 0) return "";
  return [
    "### CUPED on several covariates",
    "",
    "Each metric is regressed on its own pre-period and the other metrics' pre-period values, with one intercept per variant and common slopes θ; the variance reduction is the share of the metric's within-variant variance the covariates remove (single-covariate CUPED, with the own pre-period alone, in the last column).",
    "",
    "| metric | covariates (θ) | variance reduction | own pre-period alone |",
    "|---|---|---:|---:|",
    ...rows.map((r) => `| \`${r.metric}\` | ${r.covariates} | ${r.reduction} | ${r.ownAlone} |`),
  ].join("\n");
}

/** Lines for the terminal views: one per metric. */
export function covariatesText(analysis: Pick<ReportAnalysis, "metrics">): string[] {
  return covariateRows(analysis).map(
    (r) => `${r.metric}: variance reduced by ${r.reduction} (own pre-period alone ${r.ownAlone}); covariates ${r.covariates}`,
  );
}
