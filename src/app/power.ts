import { fetchSufficientStats } from "../analysis/fetch-stats.js";
import { summarizeClustered } from "../stats/clustered.js";
import { designSizing } from "../analysis/planned-sample.js";
import { type Diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import { designPower } from "../plan/power-check.js";
import { designMde, designSampleSize } from "../stats/design-sample-size.js";
import { summarizeMean, summarizeRatio } from "../stats/moments.js";
import type { SizingCorrection } from "../stats/power.js";
import { summarizeQuantile } from "../stats/quantile.js";
import type { Correction, CupedStats } from "../stats/types.js";
import { armShares, familyMetrics } from "../workspace/design.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { withWarehouse } from "./analyze.js";
import { APP_CODES } from "./codes.js";

const DAY = 86_400;

/**
 * A design to size: relative MDE against a baseline mean with a per-unit variance, over arms with these
 * shares (control first). A conversion is sized with each arm's variance under the alternative. With
 * several arms or metrics α is shared as the analysis' `correction` shares it (default "bh", the
 * analysis default) over the comparisons × `metrics` (primary and secondary; default 1).
 */
export interface PowerDesign {
  baseline: number;
  variance: number;
  mde: number;
  alpha: number;
  power: number;
  shares: number[];
  conversion?: boolean;
  correction?: Correction;
  metrics?: number;
  /** Units enrolled per day over all arms. */
  dailyUnits?: number;
  /** Units over all arms, for the MDE they can detect. */
  units?: number;
}

export interface PowerReport {
  source: "flags" | "design" | "warehouse";
  experiment?: string;
  metric?: string;
  baseline: number;
  variance: number;
  mde: number;
  mde_absolute: number;
  alpha: number;
  power: number;
  arms: number;
  /** How α was shared over several arms and metrics: the analysis' correction the sizing assumed. */
  correction: { method: Correction; sized_as: SizingCorrection["sizedAs"]; comparisons: number; metrics: number; family: number };
  alpha_per_comparison: number;
  sample_size: { per_arm: number[]; total: number };
  daily_units: number | null;
  duration_days: number | null;
  /** The relative MDE detectable with `units` (given, or reached by the schedule end). */
  mde_at_units: { units: number; mde: number | null } | null;
}

/** Sample size for the MDE, the duration at the daily rate, and the MDE reachable with `units`; both tails, every treatment against control. */
export function sizeDesign(
  d: PowerDesign,
  source: PowerReport["source"],
  extra: { experiment?: string; metric?: string } = {},
): PowerReport {
  const abs = d.mde * Math.abs(d.baseline);
  const family = { correction: d.correction ?? "bh", metrics: d.metrics ?? 1 };
  const size = designSampleSize({ ...d, ...family, conversion: d.conversion === true });
  const total = size.perArm.reduce((a, b) => a + b, 0);
  let atUnits: PowerReport["mde_at_units"] = null;
  if (d.units !== undefined) {
    const sum = d.shares.reduce((a, b) => a + b, 0);
    const perArm = d.shares.map((s) => (d.units! * s) / sum);
    atUnits = { units: d.units, mde: relativeMde(d, perArm, family) };
  }
  return {
    source,
    ...extra,
    baseline: d.baseline,
    variance: d.variance,
    mde: d.mde,
    mde_absolute: abs,
    alpha: d.alpha,
    power: d.power,
    arms: d.shares.length,
    correction: {
      method: size.correction.method,
      sized_as: size.correction.sizedAs,
      comparisons: size.correction.comparisons,
      metrics: size.correction.metrics,
      family: size.correction.family,
    },
    alpha_per_comparison: size.alphaPerComparison,
    sample_size: { per_arm: size.perArm.slice(), total },
    daily_units: d.dailyUnits ?? null,
    duration_days: d.dailyUnits ? Math.ceil(total / d.dailyUnits) : null,
    mde_at_units: atUnits,
  };
}

/** The relative MDE `units` per arm can detect at the design's α, power and correction; null below two units in an arm. */
function relativeMde(d: PowerDesign, units: number[], family: { correction: Correction; metrics: number }): number | null {
  if (!units.every((n) => n >= 2)) return null;
  const mde = designMde({ ...d, ...family, conversion: d.conversion === true }, units);
  return Number.isFinite(mde) ? mde : null;
}

/** `exp power <experiment>`: the declared design (power.mde, daily_units, baseline, stddev), and the MDE reachable by the schedule end. */
export function powerFromDesign(ws: Workspace, e: Experiment, now: Date): PowerReport {
  const metric = ws.metrics.get(e.metrics.primary[0] ?? "");
  const { sizing, missing } = designSizing(ws, e);
  if (missing === "mde")
    throw ExpError.of(APP_CODES.designIncomplete, `experiment "${e.key}" declares no power.mde`, {
      suggestion: "add power: { mde: 3% } to its file, or use exp power --baseline ... --mde ...",
    });
  if (missing === "baseline") {
    throw ExpError.of(APP_CODES.designIncomplete, `experiment "${e.key}" declares no power.baseline`, {
      suggestion: `add power.baseline (the primary metric's mean), or run exp power ${e.key} --from-warehouse`,
    });
  }
  if (!sizing)
    throw ExpError.of(
      APP_CODES.designIncomplete,
      `experiment "${e.key}" needs power.stddev for its primary metric "${metric?.key ?? "?"}", which is not a conversion`,
    );
  const daily = e.power.daily_units;
  const design: PowerDesign = { ...sizing, shares: [...sizing.shares], dailyUnits: daily === undefined ? undefined : daily * e.traffic };
  const report = sizeDesign(design, "design", { experiment: e.key, metric: metric?.key });
  // The units the schedule reaches come from the plan's power check; the MDE they give is sized here
  // with the analysis' correction, as the analysis will test.
  const reached = designPower(e, ws, now);
  if (reached)
    report.mde_at_units = {
      units: Math.round(reached.units.reduce((a, b) => a + b, 0)),
      mde: Number.isFinite(reached.achievableMde) ? reached.achievableMde : null,
    };
  return report;
}

/**
 * `exp power <experiment> --from-warehouse`: the primary metric's mean and variance over the
 * look-back before each unit's first exposure (the CUPED pre-period, which treatment cannot have
 * touched), pooled over all arms, and the daily rate of newly exposed units. Ratio and quantile
 * metrics have no pre-period statistics, so their control arm stands in.
 */
export async function powerFromWarehouse(
  ws: Workspace,
  e: Experiment,
  opts: { lookback?: string; connection?: string; asOf?: string; env?: NodeJS.ProcessEnv },
): Promise<Result<PowerReport>> {
  const metric = ws.metrics.get(e.metrics.primary[0] ?? "");
  if (!metric) throw ExpError.of(APP_CODES.designIncomplete, `experiment "${e.key}" has no primary metric to size`);
  const mde = e.power.mde;
  if (mde === undefined)
    throw ExpError.of(APP_CODES.designIncomplete, `experiment "${e.key}" declares no power.mde`, {
      suggestion: "add power: { mde: 3% } to its file",
    });
  const lookback = opts.lookback ?? metric.window.text;
  const m = /^(\d+(?:\.\d+)?)([dhm])$/.exec(lookback);
  if (!m) throw ExpError.of(APP_CODES.badLookback, `--lookback "${lookback}" is not a duration`, { suggestion: "e.g. --lookback 14d" });
  const seconds = Number(m[1]) * { d: DAY, h: 3600, m: 60 }[m[2] as "d" | "h" | "m"];
  // The pre-period statistics are the CUPED covariate: ask for it over the look-back.
  const sized: Workspace = {
    ...ws,
    settings: { ...ws.settings, defaults: { ...ws.settings.defaults, cuped_lookback: { seconds, text: lookback } } },
    // The pre-period of the metric itself is what sizes it, with or without other covariates.
    metrics: new Map(ws.metrics).set(metric.key, { ...metric, cuped: true, cuped_covariates: undefined }),
  };
  const experiment: Experiment = { ...e, analysis: { ...e.analysis, cuped: true } };
  return withWarehouse(sized, opts, async (warehouse): Promise<Result<PowerReport>> => {
    const fetched = await fetchSufficientStats(warehouse, sized, experiment, { metrics: [metric.key], asOf: opts.asOf });
    const diagnostics: Diagnostic[] = fetched.diagnostics;
    const stats = fetched.metrics[0];
    if (!stats) return { diagnostics };
    let arm: { n: number; mean: number; variance: number };
    if (stats.covariate && stats.shape === "cuped") {
      const all = Object.values(stats.covariate.variants) as CupedStats[];
      const pooled = all.reduce((a, s) => ({ kind: "mean" as const, n: a.n + s.n, sum: a.sum + s.sumX, sumSq: a.sumSq + s.sumX2 }), {
        kind: "mean" as const,
        n: 0,
        sum: 0,
        sumSq: 0,
      });
      arm = summarizeMean(pooled);
    } else {
      const c = stats.variants[e.control];
      arm = !c
        ? { n: 0, mean: NaN, variance: NaN }
        : c.kind === "ratio"
          ? summarizeRatio(c)
          : c.kind === "quantile"
            ? summarizeQuantile(c)
            : c.kind === "clustered"
              ? summarizeClustered(c)
              : summarizeMean(c);
    }
    if (!(arm.n >= 2) || !(arm.variance > 0) || !arm.mean) {
      throw ExpError.of(
        APP_CODES.notEnoughData,
        `the warehouse has too little data on "${metric.key}" for "${e.key}" to estimate a baseline (${arm.n} units)`,
        { suggestion: "give --baseline and --variance instead" },
      );
    }
    const units = Object.values(fetched.units).reduce((a, b) => a + b, 0);
    const { start, end } = fetched.dataWindow;
    const days = start && end ? Math.max(1, (Date.parse(end) - Date.parse(start)) / (DAY * 1000)) : undefined;
    const report = sizeDesign(
      {
        baseline: arm.mean,
        variance: arm.variance,
        mde,
        alpha: e.analysis.alpha,
        power: e.power.power ?? ws.settings.defaults.power,
        shares: armShares(e),
        correction: e.analysis.correction,
        metrics: familyMetrics(e),
        dailyUnits: days ? units / days : undefined,
        units,
      },
      "warehouse",
      { experiment: e.key, metric: metric.key },
    );
    return { value: report, diagnostics };
  });
}
