import type { Command } from "commander";
import {
  compileExperimentSql,
  DIALECT_NAMES,
  isDialectName,
  SQL_CODES,
  type CompiledQuery,
  type DialectName,
} from "../compiler/sql/index.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { toDiagnosticReport } from "../diagnostics/json.js";
import { painterFor, type Painter } from "../diagnostics/style.js";
import type { Workspace } from "../workspace/model.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { action } from "./run.js";
import { formatDiagnostics, loadWorkspaceOrExit, parseFormat, withWorkspaceOptions } from "./shared.js";

export interface SqlOptions {
  metric?: string;
  dialect?: string;
  connection?: string;
  asOf?: string;
  params?: boolean;
  batch?: boolean;
  dir?: string;
  format?: string;
}

function paramComment(q: CompiledQuery): string {
  return q.params.length === 0 ? "" : `-- params: ${q.params.map((v, i) => `$${i + 1} = ${JSON.stringify(v)}`).join(", ")}\n`;
}

export interface SqlCommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command without its I/O, so tests can run it in-process on a loaded workspace. */
export function renderSqlCommand(
  workspace: Workspace,
  key: string,
  opts: SqlOptions,
  paint: Painter = painterFor({ isTTY: false }),
): SqlCommandOutput {
  const format = parseFormat(opts.format);
  const diagnostics = (ds: Diagnostic[]) => formatDiagnostics(toDiagnosticReport(ds), "text", workspace.files, paint);
  const fail = (d: Diagnostic): SqlCommandOutput => ({ code: 1, stdout: "", stderr: diagnostics([d]) });
  if (opts.dialect !== undefined && !isDialectName(opts.dialect)) {
    return fail({
      code: SQL_CODES.unknownDialect.code,
      severity: "error",
      message: `There is no SQL dialect "${opts.dialect}"; use one of ${DIALECT_NAMES.join(", ")}.`,
      suggestion: didYouMean(opts.dialect, DIALECT_NAMES),
    });
  }
  const experiment = workspace.experiments.get(key);
  if (!experiment) {
    return fail({
      code: SQL_CODES.unknownExperiment.code,
      severity: "error",
      message: `There is no experiment "${key}"; check experiments/*.yaml.`,
      suggestion: didYouMean(key, workspace.experiments.keys()),
    });
  }
  const compiled = compileExperimentSql({
    workspace,
    experiment,
    metric: opts.metric,
    dialect: opts.dialect as DialectName | undefined,
    connection: opts.connection,
    asOf: opts.asOf,
    inlineParams: opts.params !== true,
  });
  const stderr = compiled.diagnostics.length > 0 ? diagnostics(compiled.diagnostics) : "";
  if (hasErrors(compiled.diagnostics)) return { code: 1, stdout: "", stderr };
  if (format === "json") {
    const doc = {
      experiment: key,
      dialect: compiled.dialect,
      exposures: compiled.exposures,
      metrics: compiled.metrics,
      batch: compiled.batch,
    };
    return { code: 0, stdout: `${JSON.stringify(doc, null, 2)}\n`, stderr };
  }
  // What analysis runs besides the batch: a query per quantile metric and per clustered (session experiment) one.
  const ownQueries = compiled.metrics.filter((m) => m.shape === "quantile" || m.shape === "clustered");
  const queries: CompiledQuery[] = opts.batch
    ? [compiled.exposures, ...(compiled.batch ? [compiled.batch] : []), ...ownQueries]
    : opts.metric
      ? compiled.metrics
      : [compiled.exposures, ...compiled.metrics];
  return { code: 0, stdout: queries.map((q) => `${paramComment(q)}${q.sql};\n`).join("\n"), stderr };
}

/** `exp sql <experiment>`: prints the analysis SQL; values are inlined as escaped literals unless --params. */
export function registerSql(program: Command): void {
  withWorkspaceOptions(
    program
      .command("sql")
      .description("print the SQL that computes an experiment's sufficient statistics")
      .argument("<experiment>", "experiment key")
      .option("--metric <metric>", "only this metric")
      .option("--dialect <dialect>", `${DIALECT_NAMES.join(" | ")} (default: the connection's type)`)
      .option("--connection <name>", "warehouse connection whose dialect to use (default: warehouse.default)")
      .option("--as-of <iso>", "only exposures and events before this time")
      .option("--params", "keep bound parameters ($1, …) and list their values, as the analysis runs them")
      .option("--batch", "print the single query that analysis runs for all non-quantile metrics"),
  ).action(
    action(async (key: string, opts: SqlOptions) => {
      parseFormat(opts.format);
      const workspace = await loadWorkspaceOrExit(opts);
      const out = renderSqlCommand(workspace, key, opts, painterFor(process.stderr));
      process.stderr.write(out.stderr);
      process.stdout.write(out.stdout);
      return out.code;
    }),
  );
}
