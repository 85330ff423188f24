import type { Experiment } from "./model.js";

/** Traffic shares with control first, as the sizing functions take them. */
export function armShares(e: Experiment): number[] {
  const control = e.variants.find((v) => v.key === e.control) ?? e.variants[0];
  if (!control) return [];
  return [control, ...e.variants.filter((v) => v !== control)].map((v) => v.weight);
}

/** Metrics in the analysis' correction family: the primary and secondary ones. */
export function familyMetrics(e: Experiment): number {
  return Math.max(1, new Set([...e.metrics.primary, ...e.metrics.secondary]).size);
}
