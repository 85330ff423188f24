import type { Painter } from "../diagnostics/style.js";
import { heterogeneityRows } from "./dimensions.js";
import { fairnessRows } from "./fairness.js";
import type { ReportAnalysis } from "./model.js";

/**
 * The terminal report's lines for the dimensions (one heterogeneity verdict per metric, treatment and
 * dimension) and the fairness guardrail (its verdict and every group not passed); the markdown report
 * has the full tables and the chart.
 */
export function breakdownText(analysis: Pick<ReportAnalysis, "dimensions" | "fairness">, paint: Painter): string[] {
  const out: string[] = [];
  const hetero = heterogeneityRows(analysis);
  if (hetero.length) {
    out.push("", paint("emphasis", "Dimensions"));
    for (const h of hetero)
      out.push(
        `  ${h.significant ? paint("warning", "!") : " "} ${h.dimension} · ${h.metric} · ${h.variant}: Cochran's Q ${h.q} over ${h.slices} slices, p ${h.p}, I² ${h.i2}${h.significant ? ": the effect differs between slices" : ""}`,
      );
  }
  const f = analysis.fairness;
  if (f) {
    const verdict = f.breached ? paint("error", "breached") : f.passed ? paint("success", "passed") : paint("warning", "not yet passed");
    out.push("", paint("emphasis", "Fairness"), `  ${f.attribute}, max disparity ${(f.max_disparity * 100).toFixed(2)}%: ${verdict}`);
    for (const r of fairnessRows(analysis).filter((x) => x.status !== "passed" || (x.harm !== undefined && x.harm !== "passed")))
      out.push(
        `  ${paint(r.status === "breached" || r.harm === "breached" ? "error" : "warning", "!")} ${r.metric} · ${r.variant} · ${r.group}: lift ${r.lift} against ${r.others} for the other groups (disparity ${r.disparity}, ${r.ci}): ${r.status}${r.harm === "breached" ? ", harmed beyond the guardrail margin" : ""}`,
      );
  }
  return out;
}
