import type { Comparison, GuardrailResult, MetricDisplay } from "./model.js";

export type Verdict = "win" | "loss" | "flat" | "guardrail breached" | "inconclusive";

/** A comparison's verdict in the metric's good direction; guardrails are judged by their non-inferiority test. */
export function verdictOf(c: Comparison, display: MetricDisplay | undefined, guardrail?: GuardrailResult): Verdict {
  if (guardrail && (guardrail.breached ?? !guardrail.passed)) return "guardrail breached";
  if (c.code && !Number.isFinite(c.p_value)) return "inconclusive";
  if (!c.significant) return "flat";
  const good = (display?.direction ?? "increase") === "increase" ? c.diff > 0 : c.diff < 0;
  return good ? "win" : "loss";
}

export const VERDICT_MARK: Record<Verdict, string> = {
  win: "✅ win",
  loss: "❌ loss",
  flat: "➖ flat",
  "guardrail breached": "🚨 guardrail breached",
  inconclusive: "❔ inconclusive",
};
