import type { ComparisonJson, GuardrailJson, MetricDisplay, MetricJson } from "./model.js";

export type Verdict = "win" | "loss" | "flat" | "guardrail breached" | "inconclusive" | "no result";

type GuardrailStatus = GuardrailJson["variants"][number]["status"];

/**
 * A comparison's verdict in the metric's good direction. Guardrails are judged by their
 * non-inferiority status; a comparison the engine could not compute is "no result", never a win or
 * a loss. A zero control mean still has a p-value on the absolute difference, so it is judged.
 */
export function verdictOf(metric: MetricJson, c: ComparisonJson, display?: MetricDisplay, guardrail?: GuardrailStatus): Verdict {
  if (guardrail === "breached") return "guardrail breached";
  if ((c.code !== "OK" && c.code !== "ZERO_CONTROL_MEAN") || guardrail === "failed") return "no result";
  if (guardrail === "inconclusive") return "inconclusive";
  if (!c.significant || c.diff === null) return "flat";
  const direction = metric.direction ?? display?.direction ?? "increase";
  return (direction === "increase" ? c.diff > 0 : c.diff < 0) ? "win" : "loss";
}

export const VERDICT_MARK: Record<Verdict, string> = {
  win: "✅ win",
  loss: "❌ loss",
  flat: "➖ flat",
  "guardrail breached": "🚨 guardrail breached",
  inconclusive: "❔ inconclusive",
  "no result": "⚠️ no result",
};
