import type { ComparisonJson, MetricJson } from "./model.js";

function arms(metric: MetricJson, names: string[], below: number): string {
  const hit = names.filter((v) => (metric.variants[v]?.n ?? 0) < below);
  const list = (hit.length ? hit : names).map((v) => `"${v}"`);
  return list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list.at(-1)}` : (list[0] ?? "an arm");
}

/**
 * Why a comparison lacks numbers, in one sentence a reader can act on; undefined when nothing is
 * missing. The stats engine reports data problems as result codes, and the report must show the
 * reason beside the "—" rather than leave a blank.
 */
export function missingReason(metric: MetricJson, c: ComparisonJson, control: string): string | undefined {
  const pair = [control, c.variant];
  switch (c.code) {
    case "OK":
      return undefined;
    case "EMPTY_ARM":
      return `no units in ${arms(metric, pair, 1)}, so there is nothing to compare`;
    case "TOO_FEW_UNITS":
      return `fewer than 2 units in ${arms(metric, pair, 2)}, too few to estimate a variance`;
    case "ZERO_VARIANCE":
      return "every unit has the same value in both arms (zero variance), so there is nothing to test";
    case "NEGATIVE_VARIANCE":
      return "the sufficient statistics give a negative variance; check the metric's SQL";
    case "ZERO_CONTROL_MEAN":
      return "the control mean is 0, so there is no relative lift";
    case "ZERO_DENOMINATOR":
      return "the ratio's denominator sums to 0 in an arm, so the ratio cannot be computed";
    case "TOO_FEW_EVENTS": {
      const counts = pair.map((v) => `"${v}" ${metric.variants[v]?.n ?? 0}`).join(", ");
      return `not enough data: too few events beyond the quantile to bound its confidence interval (events: ${counts}), so no interval is shown rather than a truncated one`;
    }
    case "INVALID_INPUT":
      return "the sufficient statistics are invalid; check the metric's SQL";
  }
}
