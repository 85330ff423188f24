import { experimentSummary, liveSrm, type LiveSummary } from "../live/summary.js";
import type { ServerState } from "../state.js";
import type { LiveMetricRow, LiveProviders, LiveSrm } from "./providers.js";

/**
 * The live view's statistics from the server's own live summaries (live/summary.ts): one row per
 * metric × variant of each running experiment, and its SRM at the workspace's threshold. Metrics the
 * server cannot keep live are left out (the summary route names them and why).
 */
export function summaryProviders(s: Pick<ServerState, "live" | "rulesets">): Pick<LiveProviders, "metrics" | "srm"> {
  const running = (): LiveSummary[] => {
    const current = s.rulesets.current;
    if (!current) return [];
    return Object.entries(current.experiments)
      .filter(([, e]) => e.status === "running")
      .flatMap(([key]) => experimentSummary(s, key) ?? []);
  };
  return {
    metrics: () => running().flatMap(rows),
    // The SRM alone: metrics() has analysed every metric already, and this is asked per experiment.
    srm: (experiment) => {
      const experiments = s.rulesets.current?.experiments;
      const e = experiments && Object.hasOwn(experiments, experiment) ? experiments[experiment] : undefined;
      const srm = e ? liveSrm(s.live, experiment, e) : undefined;
      if (!srm || srm.chi2 === null || srm.p_value === null) return undefined;
      return { chi2: srm.chi2, p: srm.p_value, threshold: srm.threshold, ok: srm.ok } satisfies LiveSrm;
    },
  };
}

function rows(summary: LiveSummary): LiveMetricRow[] {
  return summary.metrics.flatMap((m) =>
    m.available
      ? m.variants.map((v): LiveMetricRow => ({
          experiment: summary.experiment,
          metric: m.metric,
          role: m.tier,
          variant: v.variant,
          units: v.units,
          mean: v.mean,
          lift: v.lift,
          lower: v.lift_cs[0],
          upper: v.lift_cs[1],
          ...(v.guardrail ? { state: v.guardrail } : {}),
        }))
      : [],
  );
}
