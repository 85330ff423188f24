import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { designMde } from "../stats/design-sample-size.js";
import { armShares, familyMetrics } from "../workspace/design.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { PLAN_CODES } from "./codes.js";

const DAY = 86_400_000;

export interface DesignPower {
  /** Units enrolled per arm by the end date, control first. */
  units: number[];
  /** Relative MDE reachable by the end date at the design's α and power. */
  achievableMde: number;
  days: number;
}

/**
 * The power a running experiment can reach by its end date from its declared design: units per day ×
 * traffic × days, split by weights, and the primary metric's baseline (a conversion's variance is each
 * arm's p(1 − p) under the alternative; other metrics need `power.stddev`). Fixed horizon, two-sided,
 * each treatment against control, at the α the analysis' correction leaves each comparison.
 */
export function designPower(e: Experiment, ws: Workspace, now: Date): DesignPower | undefined {
  const { mde, daily_units: daily, baseline } = e.power;
  if (mde === undefined || daily === undefined || baseline === undefined || !e.schedule.end) return undefined;
  const metric = ws.metrics.get(e.metrics.primary[0] ?? "");
  const conversion = metric?.kind === "conversion" || metric?.kind === "retention";
  const sd = conversion ? Math.sqrt(baseline * (1 - baseline)) : e.power.stddev;
  if (sd === undefined || baseline === 0) return undefined;
  const start = e.schedule.start ? Date.parse(e.schedule.start) : now.getTime();
  const days = Math.max(0, (Date.parse(e.schedule.end) - start) / DAY);
  const total = daily * e.traffic * days;
  const shares = armShares(e);
  const weightSum = shares.reduce((a, b) => a + b, 0);
  const units = shares.map((w) => (total * w) / weightSum);
  if (units.some((u) => u < 2)) return { units, achievableMde: Infinity, days };
  const achievableMde = designMde(
    {
      baseline,
      variance: sd * sd,
      conversion,
      alpha: e.analysis.alpha,
      power: e.power.power ?? ws.settings.defaults.power,
      correction: e.analysis.correction,
      metrics: familyMetrics(e),
    },
    units,
  );
  return { units, achievableMde, days };
}

/** The plan's power check: the achievable MDE by the end date must be at or below the declared `mde`. */
export function powerCheck(ws: Workspace, now: Date): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of [...ws.experiments.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    if (e.status !== "running" || e.type === "bandit" || e.type === "interleaving") continue;
    const span = e.origin.values["power.mde"] ?? e.origin.values.power ?? e.origin.keys.experiment ?? e.origin.values[""];
    if (e.power.mde === undefined) {
      out.push(diagnostic(PLAN_CODES.powerSkipped, `Experiment "${e.key}" declares no power.mde, so its power is not checked.`, { span }));
      continue;
    }
    const p = designPower(e, ws, now);
    if (!p) {
      out.push(
        diagnostic(
          PLAN_CODES.powerSkipped,
          `Experiment "${e.key}" needs power.daily_units, power.baseline (and power.stddev for non-conversion metrics) and a schedule end for the power check; it is skipped.`,
          { span },
        ),
      );
      continue;
    }
    if (p.achievableMde > e.power.mde) {
      out.push(
        diagnostic(
          PLAN_CODES.power,
          `Experiment "${e.key}" can only detect a ${(p.achievableMde * 100).toFixed(2)}% relative effect by its end date (${Math.round(p.units.reduce((a, b) => a + b, 0))} units over ${p.days.toFixed(0)} days), above its declared mde of ${(e.power.mde * 100).toFixed(2)}%; run it longer, give it more traffic or raise mde.`,
          { span },
        ),
      );
    }
  }
  return out;
}
