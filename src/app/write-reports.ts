import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runAnalysis, type AnalyzeJson } from "../analysis/analyze.js";
import { withoutBreakdowns } from "../analysis/fetch-slices.js";
import { diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { SQL_CODES } from "../compiler/sql/codes.js";
import { writeFileAtomic } from "../fsio/atomic.js";
import { packageAsset } from "../fsio/package-assets.js";
import { commitFiles } from "../gitops/commit.js";
import { buildReport } from "../report/build.js";
import { asOfPoints } from "../report/daily.js";
import type { DailyPoint, ReportInput } from "../report/model.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { connectionName, withWarehouse } from "./analyze.js";
import { publishHistory } from "./phase-history.js";
import { APP_CODES } from "./codes.js";

/** Progress of the long steps, told to whoever shows it (a spinner, plain lines, nothing). */
export interface StepProgress {
  start(label: string): void;
  done(detail?: string): void;
  fail(detail: string): void;
}

export interface ReportRequest {
  /** The instant the data is analysed at (the report is dated by it). */
  asOf: string;
  connection?: string;
  points: number;
  commit: boolean;
  progress?: StepProgress;
  env?: NodeJS.ProcessEnv;
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

export interface ReportsWritten {
  reports: WrittenReport[];
  /** What the commit did, when one was asked for. */
  commitNote?: string;
}

/**
 * Analyses each experiment (at `asOf` and at earlier points), writes its report files atomically and
 * optionally commits them: what `exp report` and the demo run. No value when the warehouse cannot be
 * opened or an analysis fails (the warehouse's diagnostics, then this use case's own error).
 */
export async function writeReports(ws: Workspace, experiments: Experiment[], o: ReportRequest): Promise<Result<ReportsWritten>> {
  const template = await readFile(packageAsset("templates", "report", "report.md"), "utf8");
  const asOf = new Date(o.asOf).toISOString();
  const connection = connectionName(ws, o);
  const phaseStart = publishHistory(ws, o.env);
  const opened = await withWarehouse(ws, o, async (warehouse): Promise<Result<WrittenReport[]>> => {
    const written: WrittenReport[] = [];
    const analyse = (e: Experiment, at: string) => runAnalysis(ws, e, { warehouse, asOf: at, connection, phaseStart });
    for (const [i, e] of experiments.entries()) {
      o.progress?.start(`[${i + 1}/${experiments.length}] analysing ${e.key} as of ${asOf.slice(0, 10)}`);
      const run = await analyse(e, asOf);
      if (!run.result) {
        o.progress?.fail("the analysis failed");
        return { diagnostics: [...run.diagnostics, failure(APP_CODES.analysisFailed, `cannot analyse "${e.key}"`, run.diagnostics)] };
      }
      // The earlier points only chart the primary lift: no per-slice or fairness queries for them.
      const daily = await dailyPoints(e, (at) => analyse(withoutBreakdowns(e), at), run.result, asOf, o.points);
      const input = reportInput(ws, e, run.result, daily, { asOf, connection });
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
    return { value: written, diagnostics: [] };
  });
  if (!("value" in opened) || !opened.value) {
    // A diagnostic that already says what failed (a missing env: variable, an analysis error) is the one to show.
    const explained = opened.diagnostics.some((d) => d.severity === "error");
    return explained
      ? { diagnostics: opened.diagnostics }
      : { diagnostics: [...opened.diagnostics, failure(APP_CODES.warehouseUnavailable, "cannot open the warehouse", opened.diagnostics)] };
  }
  const reports = opened.value;
  if (!o.commit || reports.length === 0) return { value: { reports }, diagnostics: [] };
  const commit = reports[0]!.analysis.provenance.sourceCommit?.slice(0, 12) ?? "uncommitted";
  const names = reports.map((w) => w.experiment).join(", ");
  let hash: string | undefined;
  try {
    hash = await commitFiles(
      ws.root,
      reports.flatMap((w) => w.files),
      `report: ${names} as of ${asOf.slice(0, 10)} (source ${commit})`,
    );
  } catch (err) {
    // Outside a git repository, or without a git identity: the files are written, only the commit is missing.
    const why = String((err as Error).message)
      .trim()
      .split("\n")[0];
    throw ExpError.of(APP_CODES.commitFailed, `the reports were written but cannot be committed (${why})`, {
      suggestion: "run exp report --commit inside a git repository with user.name and user.email set, or leave out --commit",
      cause: err,
    });
  }
  const commitNote = hash
    ? `committed ${hash.slice(0, 12)}: report: ${names}`
    : "no changes to commit: the reports are identical to the committed ones";
  return { value: { reports, commitNote }, diagnostics: [] };
}

const REPORTABLE = new Set(["ab", "multivariate", "split_url", "bandit", "interleaving"]);

/** The experiments to report on: the one named, or with `all` every running, paused or stopped one that has a report. */
export function reportableExperiments(ws: Workspace, key: string | undefined, all: boolean): Experiment[] {
  if (all)
    return [...ws.experiments.values()]
      .filter((e) => REPORTABLE.has(e.type) && ["running", "paused", "stopped"].includes(e.status))
      .sort((a, b) => a.key.localeCompare(b.key));
  if (!key)
    throw ExpError.of(APP_CODES.noExperiment, "name an experiment, or pass --all", { suggestion: "e.g. exp report checkout_redesign" });
  const e = ws.experiments.get(key);
  if (!e)
    throw ExpError.of(SQL_CODES.unknownExperiment, `unknown experiment "${key}"`, {
      suggestion: didYouMean(key, ws.experiments.keys()) ?? "run exp validate to list the experiments",
    });
  if (!REPORTABLE.has(e.type))
    throw ExpError.of(APP_CODES.wrongExperimentType, `experiment "${key}" is of type ${e.type}, which has no report yet`);
  return [e];
}

/** The use case's own closing error, naming the first diagnostic that caused it. */
function failure(info: typeof APP_CODES.analysisFailed, what: string, causes: { message: string }[]) {
  return diagnostic(info, `${what}: ${causes[0]?.message ?? "see the diagnostics above"}`);
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
  e: Experiment,
  analyse: (at: string) => Promise<{ result?: AnalyzeJson }>,
  final: AnalyzeJson,
  asOf: string,
  max: number,
): Promise<DailyPoint[]> {
  const primary = e.metrics.primary[0];
  const out: DailyPoint[] = [];
  for (const at of asOfPoints(final.provenance.dataWindow?.start ?? undefined, asOf, max)) {
    const r = at === asOf ? final : (await analyse(at)).result;
    if (!r) continue;
    const m = r.metrics.find((x) => x.metric === primary);
    const lift: DailyPoint["lift"] = {};
    for (const c of m?.comparisons ?? []) lift[c.variant] = { code: c.code, rel_lift: c.rel_lift, rel_ci: c.rel_ci };
    out.push({ asOf: at, units: { ...r.units }, lift });
  }
  return out;
}

function reportInput(
  ws: Workspace,
  e: Experiment,
  analysis: AnalyzeJson,
  daily: DailyPoint[],
  at: { asOf: string; connection: string },
): ReportInput {
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
      ...(e.amendments?.length ? { amendments: e.amendments } : {}),
      schedule: e.schedule,
      control: e.control,
      weights: Object.fromEntries(e.variants.map((v) => [v.key, v.weight])),
    },
    metrics,
    date: at.asOf.slice(0, 10),
    asOf: at.asOf,
    connection: at.connection,
    daily,
  };
}
