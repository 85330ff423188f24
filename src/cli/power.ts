import type { Command } from "commander";
import { powerFromDesign, powerFromWarehouse, sizeDesign, type PowerReport } from "../app/power.js";
import { SQL_CODES } from "../compiler/sql/codes.js";
import { ExpError } from "../diagnostics/errors.js";
import type { Correction } from "../stats/types.js";
import { DEFAULT_ANALYSIS } from "../workspace/build/settings.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import { badOption, diagnosticsText, loadWorkspaceOrExit, parseFormat, withWorkspaceOptions, type OutputFormat } from "./shared.js";

function parseShareFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!m) throw badOption(`--${name} "${text}" is not a number or a percentage`, `e.g. --${name} 0.05 or --${name} 5%`);
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

function positive(name: string, value: number | undefined, opts: { below1?: boolean; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0) || (opts.below1 && value >= 1) || (opts.integer && !Number.isInteger(value))) {
    throw badOption(`--${name} must be ${opts.integer ? "a whole number " : ""}above 0${opts.below1 ? " and below 1" : ""}, got ${value}`);
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
  correction?: string;
  metrics?: string;
  fromWarehouse?: boolean;
  lookback?: string;
  connection?: string;
  asOf?: string;
  dir?: string;
  format?: string;
}

const CORRECTIONS: readonly Correction[] = ["bh", "holm", "bonferroni", "none"];

/**
 * `exp power --baseline P --mde M …`: no workspace needed. A baseline between 0 and 1 without --variance
 * is a conversion rate. Several arms or metrics share α as the analysis' correction would: `bh`, the
 * analysis' built-in default (no workspace is read), unless --correction says otherwise.
 */
export function powerFromFlags(
  opts: PowerOptions,
  defaults: { alpha: number; power: number; correction: Correction } = DEFAULT_ANALYSIS,
): PowerReport {
  const baseline = parseShareFlag("baseline", opts.baseline);
  const mde = positive("mde", parseShareFlag("mde", opts.mde));
  if (baseline === undefined || mde === undefined)
    throw badOption("exp power needs an experiment, or --baseline and --mde", "e.g. exp power --baseline 5% --mde 3%");
  if (baseline === 0) throw badOption("--baseline must not be 0: the MDE is relative to it");
  const alpha = positive("alpha", parseShareFlag("alpha", opts.alpha), { below1: true }) ?? defaults.alpha;
  const power = positive("power", parseShareFlag("power", opts.power), { below1: true }) ?? defaults.power;
  const arms = positive("arms", opts.arms === undefined ? undefined : Number(opts.arms), { integer: true }) ?? 2;
  if (arms < 2) throw badOption(`--arms must be at least 2, got ${arms}`);
  const correction = (opts.correction ?? defaults.correction) as Correction;
  if (!CORRECTIONS.includes(correction))
    throw badOption(`--correction must be one of ${CORRECTIONS.join(", ")}, not "${opts.correction}"`, "e.g. --correction holm");
  const metrics = positive("metrics", opts.metrics === undefined ? undefined : Number(opts.metrics), { integer: true }) ?? 1;
  let variance = positive("variance", opts.variance === undefined ? undefined : Number(opts.variance));
  const conversion = variance === undefined;
  if (variance === undefined) {
    if (!(baseline > 0 && baseline < 1)) throw badOption(`--baseline ${baseline} is not a rate between 0 and 1, so --variance is needed`);
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
      conversion,
      correction,
      metrics,
      dailyUnits: positive("daily-units", opts.dailyUnits === undefined ? undefined : Number(opts.dailyUnits)),
      units: positive("units", opts.units === undefined ? undefined : Number(opts.units)),
    },
    "flags",
  );
}

/** Which correction the sizing assumed for several arms and metrics, and the α each comparison got. */
export function correctionText(r: PowerReport): string {
  const c = r.correction;
  const family = `${c.comparisons} comparison${c.comparisons === 1 ? "" : "s"} × ${c.metrics} metric${c.metrics === 1 ? "" : "s"}`;
  const alpha = Number(r.alpha_per_comparison.toPrecision(4));
  if (c.sized_as === "none") return `correction: none over ${family}: each comparison at alpha ${alpha}`;
  if (c.family === 1) return `correction: ${c.method} (the analysis' correction), one test: alpha ${alpha}`;
  const bound = c.method === "bonferroni" ? "" : `, a conservative bound for ${c.method}`;
  return `correction: ${c.method} (the analysis' correction) over ${family}, sized as Bonferroni${bound}: alpha ${r.alpha} / ${c.family} = ${alpha} per comparison`;
}

export function renderPower(r: PowerReport, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(r, null, 2)}\n`;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = [
    `${r.experiment ? `${r.experiment}${r.metric ? ` (${r.metric})` : ""}, ` : ""}from ${r.source}: baseline ${Number(r.baseline.toPrecision(6))}, variance ${Number(r.variance.toPrecision(6))}`,
    `to detect ${pct(r.mde)} relative (${Number(r.mde_absolute.toPrecision(4))} absolute) at alpha ${r.alpha}, power ${r.power}, ${r.arms} arms:`,
    `  ${correctionText(r)}`,
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
      .option("--correction <method>", "multiple-testing correction the analysis will use: bh (default), holm, bonferroni, none")
      .option("--metrics <m>", "metrics tested together (primary and secondary), for the correction (default 1)")
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
        throw ExpError.of(SQL_CODES.unknownExperiment, `there is no experiment "${key}"`, {
          suggestion: didYouMean(key, ws.experiments.keys()) ?? "check experiments/*.yaml",
        });
      if (!opts.fromWarehouse) {
        process.stdout.write(renderPower(powerFromDesign(ws, e, currentTime()), format));
        return 0;
      }
      const r = await powerFromWarehouse(ws, e, opts);
      process.stderr.write(diagnosticsText(r.diagnostics, ws.files, { isTTY: false }));
      if (!r.value) return 1;
      process.stdout.write(renderPower(r.value, format));
      return 0;
    }),
  );
}
