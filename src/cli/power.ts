import type { Command } from "commander";
import { openWarehouse } from "../analysis/connect.js";
import { fetchSufficientStats } from "../analysis/fetch-stats.js";
import { toDiagnosticReport } from "../diagnostics/json.js";
import { painterFor } from "../diagnostics/style.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { designPower } from "../plan/power-check.js";
import { summarizeMean, summarizeQuantile, summarizeRatio } from "../stats/moments.js";
import { minimumDetectableEffect, sampleSize } from "../stats/power.js";
import type { CupedStats } from "../stats/types.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { UserError } from "./errors.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import { formatDiagnostics, loadWorkspaceOrExit, parseFormat, withWorkspaceOptions, type OutputFormat } from "./shared.js";

const DAY = 86_400;

/** A design to size: relative MDE against a baseline mean with a per-unit variance, over arms with these shares (control first). */
export interface PowerDesign {
  baseline: number;
  variance: number;
  mde: number;
  alpha: number;
  power: number;
  shares: number[];
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
  const size = sampleSize({ mde: abs, variance: d.variance, alpha: d.alpha, power: d.power, shares: d.shares });
  const total = size.perArm.reduce((a, b) => a + b, 0);
  let atUnits: PowerReport["mde_at_units"] = null;
  if (d.units !== undefined) {
    const sum = d.shares.reduce((a, b) => a + b, 0);
    const perArm = d.shares.map((s) => (d.units! * s) / sum);
    const mde = perArm.every((n) => n >= 2)
      ? minimumDetectableEffect({ variance: d.variance, alpha: d.alpha, power: d.power, units: perArm }) / Math.abs(d.baseline)
      : null;
    atUnits = { units: d.units, mde };
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
    sample_size: { per_arm: size.perArm.slice(), total },
    daily_units: d.dailyUnits ?? null,
    duration_days: d.dailyUnits ? Math.ceil(total / d.dailyUnits) : null,
    mde_at_units: atUnits,
  };
}

function parseShareFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!m) throw new UserError(`--${name} "${text}" is not a number or a percentage`, 1, `e.g. --${name} 0.05 or --${name} 5%`);
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

function positive(name: string, value: number | undefined, opts: { below1?: boolean; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0) || (opts.below1 && value >= 1) || (opts.integer && !Number.isInteger(value))) {
    throw new UserError(
      `--${name} must be ${opts.integer ? "a whole number " : ""}above 0${opts.below1 ? " and below 1" : ""}, got ${value}`,
    );
  }
  return value;
}

export interface PowerOptions {
  baseline?: string;
  mde?: string;
  alpha?: string;
  power?: string;
  arms?: string;
  dailyUnits?: string;
  variance?: string;
  units?: string;
  fromWarehouse?: boolean;
  lookback?: string;
  connection?: string;
  asOf?: string;
  dir?: string;
  format?: string;
}

/** `exp power --baseline P --mde M …`: no workspace needed. A baseline between 0 and 1 without --variance is a conversion rate. */
export function powerFromFlags(opts: PowerOptions, defaults = { alpha: 0.05, power: 0.8 }): PowerReport {
  const baseline = parseShareFlag("baseline", opts.baseline);
  const mde = positive("mde", parseShareFlag("mde", opts.mde));
  if (baseline === undefined || mde === undefined)
    throw new UserError("exp power needs an experiment, or --baseline and --mde", 1, "e.g. exp power --baseline 5% --mde 3%");
  if (baseline === 0) throw new UserError("--baseline must not be 0: the MDE is relative to it");
  const alpha = positive("alpha", parseShareFlag("alpha", opts.alpha), { below1: true }) ?? defaults.alpha;
  const power = positive("power", parseShareFlag("power", opts.power), { below1: true }) ?? defaults.power;
  const arms = positive("arms", opts.arms === undefined ? undefined : Number(opts.arms), { integer: true }) ?? 2;
  if (arms < 2) throw new UserError(`--arms must be at least 2, got ${arms}`);
  let variance = positive("variance", opts.variance === undefined ? undefined : Number(opts.variance));
  if (variance === undefined) {
    if (!(baseline > 0 && baseline < 1))
      throw new UserError(`--baseline ${baseline} is not a rate between 0 and 1, so --variance is needed`);
    variance = baseline * (1 - baseline);
  }
  return sizeDesign(
    {
      baseline,
      variance,
      mde,
      alpha,
      power,
      shares: Array.from({ length: arms }, () => 1),
      dailyUnits: positive("daily-units", opts.dailyUnits === undefined ? undefined : Number(opts.dailyUnits)),
      units: positive("units", opts.units === undefined ? undefined : Number(opts.units)),
    },
    "flags",
  );
}

function shares(e: Experiment): number[] {
  const control = e.variants.find((v) => v.key === e.control) ?? e.variants[0]!;
  return [control, ...e.variants.filter((v) => v !== control)].map((v) => v.weight);
}

/** `exp power <experiment>`: the declared design (power.mde, daily_units, baseline, stddev), and the MDE reachable by the schedule end. */
export function powerFromDesign(ws: Workspace, e: Experiment, now: Date): PowerReport {
  const { mde, baseline, daily_units: daily } = e.power;
  const metric = ws.metrics.get(e.metrics.primary[0] ?? "");
  if (mde === undefined)
    throw new UserError(
      `experiment "${e.key}" declares no power.mde`,
      1,
      "add power: { mde: 3% } to its file, or use exp power --baseline ... --mde ...",
    );
  if (baseline === undefined || baseline === 0) {
    throw new UserError(
      `experiment "${e.key}" declares no power.baseline`,
      1,
      `add power.baseline (the primary metric's mean), or run exp power ${e.key} --from-warehouse`,
    );
  }
  const conversion = metric?.kind === "conversion" || metric?.kind === "retention";
  const sd = conversion ? Math.sqrt(baseline * (1 - baseline)) : e.power.stddev;
  if (sd === undefined)
    throw new UserError(
      `experiment "${e.key}" needs power.stddev for its primary metric "${metric?.key ?? "?"}", which is not a conversion`,
    );
  const reached = designPower(e, ws, now);
  const report = sizeDesign(
    {
      baseline,
      variance: sd * sd,
      mde,
      alpha: e.analysis.alpha,
      power: e.power.power ?? ws.settings.defaults.power,
      shares: shares(e),
      dailyUnits: daily === undefined ? undefined : daily * e.traffic,
    },
    "design",
    { experiment: e.key, metric: metric?.key },
  );
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
  opts: PowerOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ report?: PowerReport; stderr: string }> {
  const paint = painterFor({ isTTY: false });
  const metric = ws.metrics.get(e.metrics.primary[0] ?? "");
  if (!metric) throw new UserError(`experiment "${e.key}" has no primary metric to size`);
  if (e.power.mde === undefined)
    throw new UserError(`experiment "${e.key}" declares no power.mde`, 1, "add power: { mde: 3% } to its file");
  const lookback = opts.lookback ?? metric.window.text;
  const m = /^(\d+(?:\.\d+)?)([dhm])$/.exec(lookback);
  if (!m) throw new UserError(`--lookback "${lookback}" is not a duration`, 1, "e.g. --lookback 14d");
  const seconds = Number(m[1]) * { d: DAY, h: 3600, m: 60 }[m[2] as "d" | "h" | "m"];
  // The pre-period statistics are the CUPED covariate: ask for it over the look-back.
  const sized: Workspace = {
    ...ws,
    settings: { ...ws.settings, defaults: { ...ws.settings.defaults, cuped_lookback: { seconds, text: lookback } } },
    metrics: new Map(ws.metrics).set(metric.key, { ...metric, cuped: true }),
  };
  const experiment: Experiment = { ...e, analysis: { ...e.analysis, cuped: true } };
  const opened = await openWarehouse(sized, { connection: opts.connection, env });
  if (!opened.warehouse) return { stderr: formatDiagnostics(toDiagnosticReport(opened.diagnostics), "text", ws.files, paint) };
  try {
    const fetched = await fetchSufficientStats(opened.warehouse, sized, experiment, { metrics: [metric.key], asOf: opts.asOf });
    const stderr = fetched.diagnostics.length ? formatDiagnostics(toDiagnosticReport(fetched.diagnostics), "text", ws.files, paint) : "";
    const stats = fetched.metrics[0];
    if (!stats) return { stderr };
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
            : summarizeMean(c);
    }
    if (!(arm.n >= 2) || !(arm.variance > 0) || !arm.mean) {
      throw new UserError(
        `the warehouse has too little data on "${metric.key}" for "${e.key}" to estimate a baseline (${arm.n} units)`,
        1,
        "give --baseline and --variance instead",
      );
    }
    const units = Object.values(fetched.units).reduce((a, b) => a + b, 0);
    const { start, end } = fetched.dataWindow;
    const days = start && end ? Math.max(1, (Date.parse(end) - Date.parse(start)) / (DAY * 1000)) : undefined;
    const report = sizeDesign(
      {
        baseline: arm.mean,
        variance: arm.variance,
        mde: e.power.mde,
        alpha: e.analysis.alpha,
        power: e.power.power ?? ws.settings.defaults.power,
        shares: shares(e),
        dailyUnits: days ? units / days : undefined,
        units,
      },
      "warehouse",
      { experiment: e.key, metric: metric.key },
    );
    return { report, stderr };
  } finally {
    await opened.warehouse.close();
  }
}

export function renderPower(r: PowerReport, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(r, null, 2)}\n`;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = [
    `${r.experiment ? `${r.experiment}${r.metric ? ` (${r.metric})` : ""}, ` : ""}from ${r.source}: baseline ${Number(r.baseline.toPrecision(6))}, variance ${Number(r.variance.toPrecision(6))}`,
    `to detect ${pct(r.mde)} relative (${Number(r.mde_absolute.toPrecision(4))} absolute) at alpha ${r.alpha}, power ${r.power}, ${r.arms} arms:`,
    `  sample size per arm: ${r.sample_size.per_arm.join(", ")}`,
    `  total: ${r.sample_size.total}`,
  ];
  if (r.duration_days !== null) lines.push(`  duration: ${r.duration_days} days at ${Math.round(r.daily_units!)} units/day`);
  if (r.mde_at_units)
    lines.push(
      `  MDE with ${r.mde_at_units.units} units: ${r.mde_at_units.mde === null ? "n/a (too few units)" : pct(r.mde_at_units.mde)}`,
    );
  const out = `${lines.join("\n")}\n`;
  return format === "markdown" ? `\`\`\`\n${out}\`\`\`\n` : out;
}

/** `exp power`: sample size, MDE and duration from flags, from the declared design, or from the warehouse. */
export function registerPower(program: Command): void {
  withWorkspaceOptions(
    program
      .command("power")
      .description("sample size, MDE and duration for a design, from given numbers, the declared design or warehouse history")
      .argument("[experiment]", "experiment key (omit to size from --baseline and --mde)")
      .option("--baseline <p>", "baseline mean of the metric (a rate such as 5% for a conversion)")
      .option("--mde <m>", "relative minimum detectable effect, e.g. 3%")
      .option("--alpha <a>", "significance level (default 0.05)")
      .option("--power <w>", "power (default 0.8)")
      .option("--arms <k>", "number of arms, control included (default 2)")
      .option("--daily-units <n>", "units enrolled per day, for the duration")
      .option("--variance <v>", "per-unit variance of the metric (default p(1-p) for a rate)")
      .option("--units <n>", "total units, for the MDE they can detect")
      .option("--from-warehouse", "estimate the baseline and daily units from the warehouse")
      .option("--lookback <duration>", "pre-exposure look-back for --from-warehouse (default: the metric's window)")
      .option("--connection <name>", "warehouse connection for --from-warehouse")
      .option("--as-of <iso>", "only exposures and events before this time (--from-warehouse)"),
  ).action(
    action(async (key: string | undefined, opts: PowerOptions) => {
      const format = parseFormat(opts.format);
      if (key === undefined) {
        process.stdout.write(renderPower(powerFromFlags(opts), format));
        return 0;
      }
      const ws = await loadWorkspaceOrExit(opts);
      const e = ws.experiments.get(key);
      if (!e)
        throw new UserError(`there is no experiment "${key}"`, 1, didYouMean(key, ws.experiments.keys()) ?? "check experiments/*.yaml");
      if (!opts.fromWarehouse) {
        process.stdout.write(renderPower(powerFromDesign(ws, e, currentTime()), format));
        return 0;
      }
      const r = await powerFromWarehouse(ws, e, opts);
      process.stderr.write(r.stderr);
      if (!r.report) return 1;
      process.stdout.write(renderPower(r.report, format));
      return 0;
    }),
  );
}
