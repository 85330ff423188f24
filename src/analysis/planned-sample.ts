import { designSampleSize, type DesignSizing } from "../stats/design-sample-size.js";
import { armShares, familyMetrics } from "../workspace/design.js";
import type { Experiment, Workspace } from "../workspace/model.js";

/** What an experiment's power design lacks to be sized: `power.mde`, `power.baseline`, or `power.stddev` for a non-conversion. */
export type MissingDesign = "mde" | "baseline" | "stddev";

/**
 * The experiment's power design in the stats engine's terms: the primary metric's baseline and
 * variance (p(1 − p) for a conversion, `stddev`² otherwise), the relative MDE, α and power, the arms'
 * shares, and the analysis' correction over its primary and secondary metrics.
 */
export function designSizing(ws: Workspace, e: Experiment): { sizing?: DesignSizing; missing?: MissingDesign } {
  const { mde, baseline } = e.power;
  if (mde === undefined || !(mde > 0)) return { missing: "mde" };
  if (baseline === undefined || baseline === 0) return { missing: "baseline" };
  const metric = ws.metrics.get(e.metrics.primary[0] ?? "");
  const conversion = metric?.kind === "conversion" || metric?.kind === "retention";
  const sd = conversion ? Math.sqrt(baseline * (1 - baseline)) : e.power.stddev;
  if (sd === undefined || !(sd > 0)) return { missing: "stddev" };
  return {
    sizing: {
      baseline,
      mde,
      variance: sd * sd,
      conversion,
      alpha: e.analysis.alpha,
      power: e.power.power ?? ws.settings.defaults.power,
      shares: armShares(e),
      correction: e.analysis.correction,
      metrics: familyMetrics(e),
    },
  };
}

/** Units over all arms that the power design plans (a fixed-horizon test's horizon), when it declares enough to size one. */
export function plannedUnits(ws: Workspace, e: Experiment): number | undefined {
  const { sizing } = designSizing(ws, e);
  if (!sizing || sizing.shares.length < 2) return undefined;
  return designSampleSize(sizing).perArm.reduce((a, b) => a + b, 0);
}
