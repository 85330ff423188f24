import { createHash } from "node:crypto";
import type { RulesetRegistration } from "../../ruleset/types.js";
import type { Experiment, Metric } from "../../workspace/model.js";

/**
 * The registered design of an experiment, as published in the ruleset: what its analysis promised
 * (primary metrics, hypothesis, method, alpha, guardrail margins) and how many amendments the file
 * declares. `exp plan` compares it with the published one (src/plan/checks/preregistration.ts).
 */
export function registrationOf(e: Experiment, metrics: ReadonlyMap<string, Metric>): RulesetRegistration {
  const guardrails: Record<string, number | null> = {};
  for (const m of [...e.metrics.guardrails].sort()) guardrails[m] = metrics.get(m)?.guardrail?.max_regression ?? null;
  return {
    ...(e.hypothesis !== undefined ? { hypothesis: hypothesisDigest(e.hypothesis) } : {}),
    primary: [...e.metrics.primary],
    guardrails,
    method: e.analysis.method,
    alpha: e.analysis.alpha,
    amendments: e.amendments?.length ?? 0,
  };
}

/** A digest of the hypothesis text, insensitive to how the YAML wrapped it (runs of whitespace). */
export function hypothesisDigest(text: string): string {
  const normal = text.trim().replace(/\s+/g, " ");
  return `sha256:${createHash("sha256").update(normal).digest("hex").slice(0, 16)}`;
}
