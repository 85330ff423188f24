import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { runAnalysis, type AnalyzeJson } from "../analysis/analyze.js";
import { openWarehouse } from "../analysis/connect.js";
import type { Warehouse } from "../analysis/warehouse.js";
import { toDiagnosticReport } from "../diagnostics/json.js";
import { renderDiagnosticsText } from "../diagnostics/render.js";
import { painterFor, type Painter } from "../diagnostics/style.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { writeFileAtomic } from "../fsio/atomic.js";
import { commitFiles } from "../gitops/commit.js";
import { buildReport } from "../report/build.js";
import { asOfPoints } from "../report/daily.js";
import { renderReportText } from "../report/text.js";
import type { DailyPoint, ReportInput } from "../report/model.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { createProgress, type Progress } from "../ui/progress.js";
import { UserError } from "./errors.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import { loadWorkspaceOrExit, parseFormat, withWorkspaceOptions, type OutputFormat } from "./shared.js";

const REPORTABLE = new Set(["ab", "multivariate", "split_url", "bandit"]);

export interface ReportOptions {
  asOf?: string;
  connection?: string;
  points: number;
  commit: boolean;
  log(line: string): void;
  progress?: Progress;
}

export interface WrittenReport {
  experiment: string;
  markdownPath: string;
  files: string[];
  analysis: AnalyzeJson;
  /** What the report was drawn from, for the terminal view. */
  input: ReportInput;
  markdown: string;
}

export function registerReport(program: Command): void {
  withWorkspaceOptions(
    program
      .command("report [experiment]")
      .description("write reports/<experiment>/<date>.md with SVG charts from a fresh analysis; --commit commits them")
      .option("--all", "report every running, paused or stopped experiment")
      .option("--commit", "commit the report files (one commit; none when nothing changed)")
      .option("--as-of <iso>", "analyse the data as it was at this time (the report is dated by it)")
      .option("--connection <name>", "warehouse connection (default: warehouse.default)")
      .option("--points <n>", "analyses over time for the cumulative charts", "7"),
  ).action(
    action(
      async (
        key: string | undefined,
        opts: { dir?: string; format?: string; all?: boolean; commit?: boolean; asOf?: string; connection?: string; points: string },
        cmd: Command,
      ) => {
        const format = parseFormat(opts.format);
        // Piped without an explicit --format, stdout stays the list of written files, for scripts.
        const view = format !== "text" || cmd.getOptionValueSource("format") === "cli" || process.stdout.isTTY ? format : "paths";
        const ws = await loadWorkspaceOrExit(opts);
        const experiments = pickExperiments(ws, key, Boolean(opts.all));
        const points = Number(opts.points);
        if (!Number.isInteger(points) || points < 1 || points > 60)
          throw new UserError(`--points must be a whole number from 1 to 60, not "${opts.points}"`);
        if (opts.asOf !== undefined && Number.isNaN(Date.parse(opts.asOf)))
          throw new UserError(`--as-of must be an ISO-8601 time, not "${opts.asOf}"`);
        const progress = createProgress();
        try {
          const written = await writeReports(ws, experiments, {
            asOf: opts.asOf,
            connection: opts.connection,
            points,
            commit: Boolean(opts.commit),
            log: (l) => process.stderr.write(`${l}\n`),
            progress,
          });
          progress.close();
          process.stdout.write(renderWritten(written, view, painterFor(process.stdout)));
          return 0;
        } finally {
          progress.close();
        }
      },
    ),
  );
}

/** What `exp report` prints once the files are written, by --format. */
export function renderWritten(written: WrittenReport[], view: OutputFormat | "paths", paint: Painter): string {
  switch (view) {
    case "paths":
      return written.map((w) => `${w.markdownPath}\n`).join("");
    case "json":
      return `${JSON.stringify({ reports: written.map((w) => ({ experiment: w.experiment, markdown: w.markdownPath, files: w.files })) }, null, 2)}\n`;
    case "markdown":
      return written.map((w) => w.markdown).join("\n---\n\n");
    case "text":
      return written
        .map(
          (w) => `${renderReportText(w.input, paint)}\n${paint("muted", `wrote ${w.markdownPath} and ${w.files.length - 1} more files`)}\n`,
        )
        .join("\n");
  }
}

export function pickExperiments(ws: Workspace, key: string | undefined, all: boolean): Experiment[] {
  if (all)
    return [...ws.experiments.values()]
      .filter((e) => REPORTABLE.has(e.type) && ["running", "paused", "stopped"].includes(e.status))
      .sort((a, b) => a.key.localeCompare(b.key));
  if (!key) throw new UserError("name an experiment, or pass --all", 1, "e.g. exp report checkout_redesign");
  const e = ws.experiments.get(key);
  if (!e)
    throw new UserError(
      `unknown experiment "${key}"`,
      1,
      didYouMean(key, ws.experiments.keys()) ?? "run exp validate to list the experiments",
    );
  if (!REPORTABLE.has(e.type)) throw new UserError(`experiment "${key}" is of type ${e.type}, which has no report yet`);
  return [e];
}

/** Analyses each experiment (now and at earlier points), writes its report files atomically and optionally commits them. */
export async function writeReports(ws: Workspace, experiments: Experiment[], o: ReportOptions): Promise<WrittenReport[]> {
  const opened = await openWarehouse(ws, { connection: o.connection });
  if (!opened.warehouse) throw diagnosticsError(ws, opened.diagnostics, "cannot open the warehouse");
  const template = await readFile(new URL("../../../templates/report/report.md", import.meta.url), "utf8").catch(() =>
    readFile(new URL("../../templates/report/report.md", import.meta.url), "utf8"),
  );
  const asOf = o.asOf ? new Date(o.asOf).toISOString() : currentTime().toISOString();
  const written: WrittenReport[] = [];
  try {
    for (const [i, e] of experiments.entries()) {
      o.progress?.start(`[${i + 1}/${experiments.length}] analysing ${e.key} as of ${asOf.slice(0, 10)}`);
      const run = await runAnalysis(ws, e, { warehouse: opened.warehouse, asOf });
      if (!run.result) {
        o.progress?.fail("the analysis failed");
        throw diagnosticsError(ws, run.diagnostics, `cannot analyse "${e.key}"`);
      }
      const daily = await dailyPoints(ws, e, opened.warehouse, run.result, asOf, o.points);
      const input = reportInput(ws, e, run.result, daily, asOf.slice(0, 10));
      const report = await buildReport(input, template);
      const files = [
        ...report.files,
        { path: report.markdownPath.replace(/\.md$/, ".json"), content: `${JSON.stringify(run.result, steadyNumbers, 2)}\n` },
      ];
      for (const f of files) {
        mkdirSync(dirname(join(ws.root, f.path)), { recursive: true });
        await writeFileAtomic(join(ws.root, f.path), f.content);
      }
      o.progress?.done(`wrote ${report.markdownPath} (${daily.length} analyses over time)`);
      written.push({
        experiment: e.key,
        markdownPath: report.markdownPath,
        files: files.map((f) => f.path),
        analysis: run.result,
        input,
        markdown: report.files[0]!.content,
      });
    }
  } finally {
    await opened.warehouse.close();
  }
  if (o.commit && written.length) {
    const commit = written[0]!.analysis.provenance.sourceCommit?.slice(0, 12) ?? "uncommitted";
    const names = written.map((w) => w.experiment).join(", ");
    const hash = await commitFiles(
      ws.root,
      written.flatMap((w) => w.files),
      `report: ${names} as of ${asOf.slice(0, 10)} (source ${commit})`,
    );
    o.log(
      hash ? `committed ${hash.slice(0, 12)}: report: ${names}` : "no changes to commit: the reports are identical to the committed ones",
    );
  }
  return written;
}

/**
 * The committed analysis JSON keeps 10 significant digits: the warehouse's parallel floating-point
 * sums can differ in the last bits between runs on the same data, which would otherwise make every
 * regeneration a change.
 */
function steadyNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && Number.isFinite(value) && !Number.isInteger(value) ? Number(value.toPrecision(10)) : value;
}

async function dailyPoints(
  ws: Workspace,
  e: Experiment,
  warehouse: Warehouse,
  final: AnalyzeJson,
  asOf: string,
  max: number,
): Promise<DailyPoint[]> {
  const primary = e.metrics.primary[0];
  const out: DailyPoint[] = [];
  for (const at of asOfPoints(final.provenance.dataWindow?.start ?? undefined, asOf, max)) {
    const r = at === asOf ? final : (await runAnalysis(ws, e, { warehouse, asOf: at })).result;
    if (!r) continue;
    const m = r.metrics.find((x) => x.metric === primary);
    const lift: DailyPoint["lift"] = {};
    for (const c of m?.comparisons ?? []) lift[c.variant] = { code: c.code, rel_lift: c.rel_lift, rel_ci: c.rel_ci };
    out.push({ asOf: at, units: { ...r.units }, lift });
  }
  return out;
}

function reportInput(ws: Workspace, e: Experiment, analysis: AnalyzeJson, daily: DailyPoint[], date: string): ReportInput {
  const metrics: ReportInput["metrics"] = {};
  for (const key of [...e.metrics.primary, ...e.metrics.secondary, ...e.metrics.guardrails]) {
    const m = ws.metrics.get(key);
    if (m) metrics[key] = { format: m.format, direction: m.direction, description: m.description };
  }
  return {
    analysis,
    experiment: {
      key: e.key,
      name: e.name,
      owner: e.owner,
      hypothesis: e.hypothesis,
      schedule: e.schedule,
      control: e.control,
      weights: Object.fromEntries(e.variants.map((v) => [v.key, v.weight])),
    },
    metrics,
    date,
    daily,
  };
}

function diagnosticsError(ws: Workspace, diags: Parameters<typeof toDiagnosticReport>[0], what: string): UserError {
  const report = toDiagnosticReport(diags);
  process.stderr.write(renderDiagnosticsText(report, (f) => ws.files.get(f), painterFor(process.stderr)));
  return new UserError(`${what}: ${report.diagnostics[0]?.message ?? "see the diagnostics above"}`);
}
