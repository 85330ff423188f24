import { runAnalysis, type AnalysisRun, type AnalyzeJson } from "../analysis/analyze.js";
import { ANALYSIS_CODES } from "../analysis/codes.js";
import { INSPECT_CODES } from "../analysis/inspect/codes.js";
import { openWarehouse } from "../analysis/connect.js";
import type { Warehouse } from "../analysis/warehouse.js";
import type { Diagnostic, Result } from "../diagnostics/diagnostic.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { allocationEpochs } from "./bandit-epoch-history.js";
import { publishHistory } from "./phase-history.js";

export interface AnalyzeRequest {
  connection?: string;
  asOf?: string;
  now?: Date;
  env?: NodeJS.ProcessEnv;
}

/** Analyses keyed by experiment, plus one line on what to do when the warehouse lacks its file or tables. */
export type AnalysesResult = Result<Record<string, AnalyzeJson>> & { hint?: string };

/**
 * Opens the warehouse once and analyses each experiment on it: what `exp analyze` and the demo run.
 * No value when the warehouse cannot be opened or an analysis fails (the first failure stops it).
 */
export async function analyzeExperiments(ws: Workspace, experiments: Experiment[], o: AnalyzeRequest = {}): Promise<AnalysesResult> {
  return withWarehouse(ws, o, async (warehouse) => {
    const analyses: Record<string, AnalyzeJson> = {};
    const diagnostics: Diagnostic[] = [];
    for await (const [e, run] of analysesOn(warehouse, ws, experiments, o)) {
      diagnostics.push(...run.diagnostics);
      if (!run.result) return { diagnostics, hint: tablesHint(run.diagnostics, ws) };
      analyses[e.key] = run.result;
    }
    return { value: analyses, diagnostics, hint: tablesHint(diagnostics, ws) };
  });
}

/** One experiment's analysis, with a hint when it failed for want of the warehouse's tables. */
export type ExperimentAnalysis = AnalysisRun & { hint?: string };

/**
 * Opens the warehouse once and analyses every experiment on it, each on its own: a failed one does
 * not stop the others (what a guardrail watch needs). No value when the warehouse cannot be opened.
 */
export async function analyzeEach(
  ws: Workspace,
  experiments: Experiment[],
  o: AnalyzeRequest = {},
): Promise<Result<Map<string, ExperimentAnalysis>> & { hint?: string }> {
  return withWarehouse(ws, o, async (warehouse) => {
    const runs = new Map<string, ExperimentAnalysis>();
    for await (const [e, run] of analysesOn(warehouse, ws, experiments, o))
      runs.set(e.key, run.result ? run : { ...run, hint: tablesHint(run.diagnostics, ws) });
    return { value: runs, diagnostics: [] };
  });
}

/** The analyses of the experiments, one at a time, on an open warehouse and one read of the publish history. */
async function* analysesOn(
  warehouse: Warehouse,
  ws: Workspace,
  experiments: Experiment[],
  o: AnalyzeRequest,
): AsyncGenerator<[Experiment, AnalysisRun]> {
  const phaseStart = publishHistory(ws, o.env);
  const epochs = allocationEpochs(ws, o.env);
  for (const e of experiments)
    yield [e, await runAnalysis(ws, e, { warehouse, asOf: o.asOf, now: o.now, connection: connectionName(ws, o), phaseStart, epochs })];
}

/** The connection an analysis runs on: the one named, else exp.yaml's default. */
export function connectionName(ws: Workspace, o: { connection?: string }): string {
  return o.connection ?? ws.settings.warehouse.default;
}

/** Runs `use` on the named (or default) warehouse connection and closes it after; its failure to open comes back as diagnostics. */
export async function withWarehouse<R extends { diagnostics: Diagnostic[]; hint?: string }>(
  ws: Workspace,
  o: { connection?: string; env?: NodeJS.ProcessEnv },
  use: (warehouse: Warehouse) => Promise<R>,
): Promise<R | { diagnostics: Diagnostic[]; hint?: string }> {
  const opened = await openWarehouse(ws, { connection: o.connection, env: o.env });
  if (!opened.value) {
    const isMissingFile = opened.diagnostics.some((d) => d.code === ANALYSIS_CODES.connectFailed.code && /does not exist/.test(d.message));
    const hint = isMissingFile
      ? 'run "exp demo" to generate a synthetic warehouse, or point warehouse.connections in exp.yaml at your data'
      : undefined;
    return { diagnostics: opened.diagnostics, hint };
  }
  try {
    return await use(opened.value);
  } finally {
    await opened.value.close();
  }
}

function tablesHint(diagnostics: Diagnostic[], ws: Workspace): string | undefined {
  // A missing table is EXP6120 once the engine's error is translated; other wordings by their text.
  const missing =
    diagnostics.some((d) => d.code === INSPECT_CODES.tableMissing.code) ||
    /does not exist|no such table|Table with name/i.test(diagnostics.map((d) => d.message).join(" "));
  const t = ws.settings.warehouse.tables;
  if (missing) {
    return `the warehouse needs the tables "${t.exposures}" and "${t.events}": run "exp demo" for a synthetic warehouse, or check warehouse.connections and warehouse.tables in exp.yaml`;
  }
  return undefined;
}
