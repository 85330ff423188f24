import { resolve } from "node:path";
import type { Command } from "commander";
import type { AnalyzeJson } from "../analysis/analyze.js";
import { analyzeExperiments } from "../app/analyze.js";
import { holdoutComparison } from "../analysis/holdout-comparison.js";
import { createProgress } from "../ui/progress.js";
import { factorialMarkdown, factorialRows } from "../report/factorial.js";
import { offPolicyMarkdown, offPolicyTextLines } from "../report/off-policy.js";
import { covariatesMarkdown, covariatesText } from "../report/covariates.js";
import { dimensionsMarkdown, heterogeneityRows, sliceRows } from "../report/dimensions.js";
import { fairnessLabelLines, fairnessMarkdown, fairnessRows } from "../report/fairness.js";
import { CheckCodes } from "../workspace/checks/codes.js";
import { interleavingFacts, interleavingMarkdown, interleavingVerdict } from "../report/interleaving.js";
import { holdoutMarkdown, holdoutTextLines, shownDecision } from "../report/holdout.js";
import { SQL_CODES } from "../compiler/sql/index.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { ComparisonJson, MetricJson, Num } from "../stats/analysis-types.js";
import type { Workspace } from "../workspace/model.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import {
  diagnosticsText,
  loadWorkspaceOrExit,
  parseFormat,
  parseInstant,
  withWorkspaceOptions,
  writeOutputFile,
  type OutputFormat,
} from "./shared.js";

export interface AnalyzeOptions {
  connection?: string;
  asOf?: string;
  out?: string;
  dir?: string;
  format?: string;
  /** docs/analysis.md#holdouts: compare this holdout's members with everyone else instead of an experiment. */
  holdout?: string;
  /** With --holdout: comma-separated metric keys (default: the running experiments' primary metrics). */
  metrics?: string;
  /** With --holdout: only events from this time on (ISO-8601). */
  since?: string;
  /** Exposure attributes to break the results down by, instead of the experiment's analysis.dimensions. */
  dimension?: string[];
}

const pct = (x: Num, sign = true) => (x === null ? "n/a" : `${sign && x >= 0 ? "+" : ""}${(x * 100).toFixed(2)}%`);
const fixed = (x: Num) => (x === null ? "n/a" : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(4));
const pValue = (x: Num) => (x === null ? "n/a" : x < 1e-4 ? "<0.0001" : x.toFixed(4));

/** win / loss by the metric's direction when significant, else inconclusive; data problems show their code. */
function verdict(metric: MetricJson, c: ComparisonJson): string {
  if (c.code !== "OK" && c.code !== "ZERO_CONTROL_MEAN") return c.code;
  if (!c.significant) return "inconclusive";
  const better = metric.direction === "decrease" ? (c.diff ?? 0) < 0 : (c.diff ?? 0) > 0;
  return better ? "win" : "loss";
}

function table(rows: string[][], indent: string): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `${indent}${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}`.trimEnd());
}

function comparisonRows(metrics: MetricJson[]): string[][] {
  const rows: string[][] = [["metric", "variant", "lift", "CI", "p (adj.)", "verdict"]];
  for (const m of metrics) {
    for (const c of m.comparisons) {
      const cuped = c.cuped?.applied ? " (CUPED)" : "";
      rows.push([
        m.metric,
        c.variant,
        pct(c.rel_lift),
        `[${pct(c.rel_ci[0])}, ${pct(c.rel_ci[1])}]`,
        `${pValue(c.p_value)} (${pValue(c.p_value_adjusted)})`,
        `${verdict(m, c)}${cuped}`,
      ]);
    }
  }
  return rows;
}

/** The compact terminal view, rendered from the JSON document so the two cannot drift. */
export function renderAnalysisText(r: AnalyzeJson): string {
  const lines: string[] = [];
  lines.push(`${r.experiment}  phase ${r.phase}  ${r.method}  alpha ${r.alpha}  correction ${r.correction}`);
  lines.push(
    `units: ${Object.entries(r.units)
      .map(([v, n]) => `${v} ${n}`)
      .join(", ")}  (multiple exposures: ${r.multiple_exposures})`,
  );
  lines.push(`SRM: ${r.srm.ok ? "ok" : "MISMATCH"} (chi2 ${fixed(r.srm.chi2)}, p ${pValue(r.srm.p_value)})`);
  const holdout = holdoutTextLines(r);
  if (holdout.length) lines.push("", ...holdout);
  for (const tier of ["primary", "secondary", "guardrail"] as const) {
    const metrics = r.metrics.filter((m) => m.tier === tier);
    if (metrics.length === 0) continue;
    lines.push("", `${tier === "guardrail" ? "guardrail metrics" : tier}:`);
    lines.push(...table(comparisonRows(metrics), "  "));
  }
  const factorial = factorialRows(r, {});
  if (factorial.rows.length) {
    lines.push("", `factorial effects (${r.factorial!.inference} intervals):`);
    lines.push(
      ...table(
        [
          ["metric", "term", "contrast", "effect", "CI", "p (adj.)", ""],
          ...factorial.rows.map((f) => [f.metric, f.term, f.contrast, f.estimate, f.ci, f.p, f.significant ? "significant" : ""]),
        ],
        "  ",
      ),
    );
  }
  for (const s of factorial.skipped) lines.push(`  factorial: ${s.replace(/`/g, "")}`);
  const offPolicy = offPolicyTextLines(r.off_policy);
  if (offPolicy.length) lines.push("", "off-policy evaluation:", ...offPolicy.map((l) => `  ${l}`));
  const covariates = covariatesText(r);
  if (covariates.length) lines.push("", "CUPED on several covariates:", ...covariates.map((l) => `  ${l}`));
  lines.push(...dimensionLines(r), ...fairnessLines(r));
  if (r.interleaving) {
    lines.push("", `interleaving (${r.interleaving.method}): ${interleavingVerdict(r.interleaving)}`);
    lines.push(...table(interleavingFacts(r.interleaving), "  "));
  }
  if (r.guardrails.length > 0) {
    lines.push("", "guardrails:");
    for (const g of r.guardrails) {
      const margin = g.max_regression === null ? "no margin" : `margin ${pct(g.max_regression, false)}`;
      const detail = g.variants.map((v) => `${v.variant} ${v.status} (lift ${pct(v.rel_lift)}, bound ${pct(v.bound)})`).join("; ");
      lines.push(`  ${g.passed ? "passed" : g.breached ? "BREACHED" : "inconclusive"}  ${g.metric} (${margin}): ${detail}`);
    }
  }
  if (r.power) lines.push("", `power: declared mde ${pct(r.power.mde, false)}, detectable now ${pct(r.power.achieved_mde, false)}`);
  const decision = shownDecision(r);
  lines.push("", `decision: ${decision.recommendation}`);
  for (const reason of decision.reasons) lines.push(`  - ${reason}`);
  for (const note of r.notes ?? []) lines.push(`note: ${note}`);
  const p = r.provenance;
  lines.push(
    "",
    `provenance: commit ${p.sourceCommit ?? "(not in git)"}, definitions ${p.definitionsSha256.slice(0, 12)}, sql ${p.sqlSha256.slice(0, 12)}, ${p.engine}, data ${p.dataWindow.start ?? "?"} .. ${p.dataWindow.end ?? "?"}`,
  );
  return `${lines.join("\n")}\n`;
}

/** The dimensions section of the text view: heterogeneity per metric, then each slice's effects. */
function dimensionLines(r: AnalyzeJson): string[] {
  if (!r.dimensions?.length) return [];
  const lines = ["", "heterogeneity across slices (Cochran's Q):"];
  lines.push(
    ...table(
      [
        ["dimension", "metric", "variant", "slices", "Q", "p", "I2", ""],
        ...heterogeneityRows(r).map((h) => [
          h.dimension,
          h.metric,
          h.variant,
          String(h.slices),
          h.q,
          h.p,
          h.i2,
          h.significant ? "DIFFERS" : "",
        ]),
      ],
      "  ",
    ),
  );
  lines.push("", "slices:");
  lines.push(
    ...table(
      [
        ["dimension", "slice", "units", "SRM", "metric", "variant", "lift", "CI", "p (adj.)", ""],
        ...sliceRows(r).map((s) => [
          s.dimension,
          s.slice,
          s.units,
          s.srm,
          s.metric,
          s.variant,
          s.lift,
          s.ci,
          s.p,
          s.significant ? "significant" : "",
        ]),
      ],
      "  ",
    ),
  );
  return lines;
}

/** The fairness guardrail in the text view: its verdict, each group against the others, parity differences. */
function fairnessLines(r: AnalyzeJson): string[] {
  const f = r.fairness;
  if (!f) return [];
  const verdict = f.breached ? "BREACHED" : f.passed ? "passed" : "not yet passed";
  const lines = ["", `fairness on ${f.attribute} (max disparity ${pct(f.max_disparity, false)}): ${verdict}`];
  lines.push(
    ...table(
      [
        ["metric", "variant", "group", "lift", "others", "disparity", "interval", "verdict"],
        ...fairnessRows(r).map((x) => [
          x.metric,
          x.variant,
          x.group,
          x.lift,
          x.others,
          x.disparity,
          x.ci,
          `${x.status}${x.harm === "breached" ? ", harmed beyond margin" : ""}`,
        ]),
      ],
      "  ",
    ),
  );
  lines.push(...fairnessLabelLines(f).map((l) => `  ${l.replace(/`/g, "")}`));
  return lines;
}

/** Markdown for a PR comment or a notebook; the same rows as the text view. */
export function renderAnalysisMarkdown(r: AnalyzeJson): string {
  const lines = [`### ${r.experiment} (phase ${r.phase}, ${r.method})`, ""];
  lines.push(
    `Units: ${Object.entries(r.units)
      .map(([v, n]) => `${v} ${n}`)
      .join(", ")}; multiple exposures ${r.multiple_exposures}. SRM ${r.srm.ok ? "ok" : "**mismatch**"} (p ${pValue(r.srm.p_value)}).`,
    "",
  );
  const holdout = holdoutMarkdown(r, "####");
  if (holdout) lines.push(holdout, "");
  const rows = comparisonRows(r.metrics);
  lines.push(`| tier | ${rows[0]!.join(" | ")} |`, `|${"---|".repeat(rows[0]!.length + 1)}`);
  let i = 1;
  for (const m of r.metrics) for (const _ of m.comparisons) lines.push(`| ${m.tier} | ${rows[i++]!.join(" | ")} |`);
  const factorial = factorialMarkdown(r, {});
  if (factorial) lines.push("", factorial);
  const offPolicy = offPolicyMarkdown(r.off_policy, "####");
  if (offPolicy) lines.push("", offPolicy);
  const covariates = covariatesMarkdown(r);
  if (covariates) lines.push("", covariates);
  const dimensions = dimensionsMarkdown(r);
  if (dimensions) lines.push("", dimensions);
  const fairness = fairnessMarkdown(r);
  if (fairness) lines.push("", fairness);
  const interleaving = interleavingMarkdown(r);
  if (interleaving) lines.push("", interleaving);
  const decision = shownDecision(r);
  lines.push("", `**Decision: ${decision.recommendation}**`, ...decision.reasons.map((x) => `- ${x}`));
  const p = r.provenance;
  lines.push(
    "",
    `<sub>${p.engine} · commit ${p.sourceCommit ?? "n/a"} · definitions ${p.definitionsSha256.slice(0, 12)} · sql ${p.sqlSha256.slice(0, 12)}</sub>`,
  );
  return `${lines.join("\n")}\n`;
}

export function renderAnalysis(r: AnalyzeJson, format: OutputFormat): string {
  // Key order is the docs/analysis.md order, as built by runAnalysis.
  if (format === "json") return `${JSON.stringify(r, null, 2)}\n`;
  return format === "markdown" ? renderAnalysisMarkdown(r) : renderAnalysisText(r);
}

export interface AnalyzeCommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command without process I/O, so tests can call it in-process on a loaded workspace. */
export async function analyzeCommand(
  workspace: Workspace,
  key: string,
  opts: AnalyzeOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AnalyzeCommandOutput> {
  const format = parseFormat(opts.format);
  const show = (ds: Diagnostic[]) => diagnosticsText(ds, workspace.files, { isTTY: false });
  const comparison = opts.holdout
    ? holdoutComparison(
        workspace,
        opts.holdout,
        opts.metrics?.split(",").map((m) => m.trim()),
        opts.since === undefined ? undefined : new Date(parseInstant("--since", opts.since)!).toISOString(),
      )
    : undefined;
  if (comparison && !comparison.experiment) return { code: 1, stdout: "", stderr: show(comparison.diagnostics) };
  const experiment = comparison?.experiment ?? workspace.experiments.get(key);
  if (!experiment) {
    const what =
      key === ""
        ? "Name an experiment to analyse, or a holdout with --holdout."
        : `There is no experiment "${key}"; check experiments/*.yaml.`;
    const d = diagnostic(SQL_CODES.unknownExperiment, what, {
      suggestion: didYouMean(key, workspace.experiments.keys()),
    });
    return { code: 1, stdout: "", stderr: show([d]) };
  }
  parseInstant("--as-of", opts.asOf);
  const unknown = (opts.dimension ?? []).filter((d) => !Object.prototype.hasOwnProperty.call(workspace.settings.attributes, d));
  if (unknown.length) {
    const ds = unknown.map((d) =>
      diagnostic(
        CheckCodes.unknownSliceAttribute,
        `--dimension "${d}" is not an attribute exp.yaml declares; declare it under attributes (and record it with the exposure) or pick a declared one.`,
        { suggestion: didYouMean(d, Object.keys(workspace.settings.attributes)) },
      ),
    );
    return { code: 1, stdout: "", stderr: show(ds) };
  }
  // --dimension replaces the experiment's own dimensions for this run.
  const analysed = opts.dimension?.length
    ? { ...experiment, analysis: { ...experiment.analysis, dimensions: opts.dimension } }
    : experiment;
  const run = await analyzeExperiments(workspace, [analysed], {
    connection: opts.connection,
    asOf: opts.asOf,
    now: currentTime(env),
    env,
  });
  const result = run.value?.[experiment.key];
  if (!result) return { code: 1, stdout: "", stderr: show(run.diagnostics) + (run.hint ? `${run.hint}\n` : "") };
  const rendered = renderAnalysis(result, format);
  if (opts.out) {
    await writeOutputFile(resolve(opts.out), rendered, opts.out);
    return { code: 0, stdout: "", stderr: show(run.diagnostics) };
  }
  return { code: 0, stdout: rendered, stderr: show(run.diagnostics) };
}

/** `exp analyze <experiment>`: runs the analysis on the warehouse and prints the docs/analysis.md result. */
export function registerAnalyze(program: Command): void {
  withWorkspaceOptions(
    program
      .command("analyze")
      .description("run an experiment's analysis on the warehouse and print the result")
      .argument("[experiment]", "experiment key (none with --holdout)")
      .option("--holdout <key>", "compare a layers.yaml holdout's units with everyone else (docs/analysis.md#holdouts)")
      .option("--since <iso>", "with --holdout: only events from this time on; a unit's first one starts its window")
      .option("--metrics <keys>", "with --holdout: comma-separated metrics (default: the running experiments' primary metrics)")
      .option("--connection <name>", "warehouse connection (default: warehouse.default in exp.yaml)")
      .option("--as-of <iso>", "only exposures and events before this time")
      .option("--out <file>", "write the result to this file instead of stdout")
      .option(
        "--dimension <attribute>",
        "break the results down by this exposure attribute (repeatable; replaces analysis.dimensions)",
        (value: string, previous: string[] = []) => [...previous, value],
      ),
  ).action(
    action(async (key: string | undefined, opts: AnalyzeOptions) => {
      parseFormat(opts.format);
      const workspace = await loadWorkspaceOrExit(opts);
      // A spinner with the elapsed time while the warehouse works (plain lines when not a TTY).
      const progress = process.stderr.isTTY && !process.env.CI ? createProgress() : undefined;
      progress?.start(`analysing ${opts.holdout ? `holdout ${opts.holdout}` : key} on the warehouse`);
      const out = await analyzeCommand(workspace, key ?? "", opts).finally(() => progress?.close());
      process.stderr.write(out.stderr);
      process.stdout.write(out.stdout);
      return out.code;
    }),
  );
}
