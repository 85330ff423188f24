import type { CompiledQuery } from "../compiler/sql/index.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { ANALYSIS_CODES } from "./codes.js";
import type { PhaseWindow } from "./phase.js";
import { toIsoTimestamp, toNumber } from "./stats-rows.js";
import type { Warehouse } from "./warehouse.js";

/**
 * An analysis that matched no exposure is not a result: "0 units, no mismatch, keep running" would pass
 * off a typo in the key, an --as-of before the data or a phase that has not started as an experiment
 * without effect. This says which of them it is, from the list of experiments in the exposures table.
 */
export async function noExposuresDiagnostic(
  warehouse: Warehouse,
  workspace: Workspace,
  experiment: Experiment,
  o: { list?: CompiledQuery; connection?: string; asOf?: string; phase: PhaseWindow },
): Promise<Diagnostic> {
  const rows = o.list && o.list.sql ? await warehouse.query(o.list.sql, o.list.params) : [];
  const table = workspace.settings.warehouse.tables.exposures;
  const experiments = rows.map((r) => ({
    key: String(r["experiment"]),
    first: toIsoTimestamp(r["first_exposure"]),
    rows: toNumber(r["exposures"]),
  }));
  const where = o.connection ? ` in connection "${o.connection}"` : "";
  const before = o.asOf ? ` before ${new Date(o.asOf).toISOString()}` : "";
  const key = experiment.key;
  const span = experiment.origin.values[""];
  const own = experiments.find((e) => e.key === key);
  if (own) {
    if (o.asOf && own.first && own.first >= new Date(o.asOf).toISOString()) {
      return diagnostic(
        ANALYSIS_CODES.noExposures,
        `There are no exposures for "${key}"${where}${before}; its first exposure is at ${own.first}.`,
        {
          span,
          suggestion: "use an --as-of after the first exposure, or leave it out to analyse everything so far",
        },
      );
    }
    const phase = experiment.phase;
    const why =
      o.phase.basis === "phase_column"
        ? `none of its ${own.rows} exposure row(s) has phase ${phase} in the "${workspace.settings.warehouse.columns.exposures.phase ?? "phase"}" column`
        : `none of its ${own.rows} exposure row(s) is from phase ${phase}, which started at ${o.phase.start}`;
    return diagnostic(ANALYSIS_CODES.noExposures, `There are no phase-${phase} exposures for "${key}"${where}${before}: ${why}.`, {
      span,
      suggestion: `publish phase ${phase} and wait for exposures, or analyse the phase that has them by setting "phase" in the experiment`,
    });
  }
  if (experiments.length === 0) {
    return diagnostic(ANALYSIS_CODES.noExposures, `There are no exposures for "${key}"${where}${before}: the table "${table}" is empty.`, {
      span,
      suggestion: "check warehouse.connections and warehouse.tables in exp.yaml, or run exp demo for a synthetic warehouse",
    });
  }
  const names = experiments.map((e) => e.key);
  const guess = didYouMean(key, names);
  return diagnostic(
    ANALYSIS_CODES.noExposures,
    `There are no exposures for "${key}"${where}${before}; the table "${table}" has experiments: ${names.join(", ")}${rows.length >= 50 ? ", …" : ""}.`,
    { span, suggestion: guess ?? `check the experiment key, or warehouse.columns.exposures.experiment in exp.yaml` },
  );
}
