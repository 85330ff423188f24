import { diagnostic, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { compileExperimentSql, SQL_CODES, type CompiledQuery, type PhaseFilter } from "../compiler/sql/index.js";
import { num } from "../stats/analysis-types.js";
import { interleavingAnalysis, type InterleavingJson } from "../stats/interleaving.js";

export type { InterleavingJson };
import type { Experiment, Workspace } from "../workspace/model.js";
import type { Warehouse } from "./warehouse.js";

const count = (row: Record<string, unknown> | undefined, key: string): number => Number(row?.[key] ?? 0);

/**
 * Reads an interleaving experiment's per-unit preferences from the warehouse and tests them.
 * Nothing for other experiments, or one without a click event (the workspace warns about that).
 */
export async function analyzeInterleaving(
  warehouse: Warehouse,
  workspace: Workspace,
  experiment: Experiment,
  opts: { asOf?: string; phase?: PhaseFilter },
): Promise<{ json?: InterleavingJson; queries: CompiledQuery[]; diagnostics: Diagnostic[] }> {
  const clicks = experiment.interleaving_clicks;
  if (experiment.type !== "interleaving" || !clicks) return { queries: [], diagnostics: [] };
  const compiled = compileExperimentSql({
    workspace,
    experiment,
    metric: [],
    dialect: warehouse.dialect,
    asOf: opts.asOf,
    phase: opts.phase,
  });
  const diagnostics = compiled.diagnostics.filter((d) => d.code.startsWith("EXP6"));
  if (hasErrors(diagnostics)) return { queries: [], diagnostics };
  if (!compiled.interleaving) {
    const why = `The ${warehouse.dialect} dialect cannot credit interleaving clicks yet; analyse "${experiment.key}" on DuckDB or PostgreSQL.`;
    return { queries: [], diagnostics: [...diagnostics, diagnostic(SQL_CODES.interleavingUnsupported, why)] };
  }
  const [row] = await warehouse.query(compiled.interleaving.sql, compiled.interleaving.params);
  const alpha = experiment.analysis.alpha;
  const r = interleavingAnalysis(
    { winsA: count(row, "wins_a"), winsB: count(row, "wins_b"), ties: count(row, "ties"), noClicks: count(row, "no_clicks") },
    alpha,
  );
  const rankers: [string, string] = [experiment.rankers![0]!, experiment.rankers![1]!];
  return {
    json: {
      method: experiment.interleaving_method ?? "team_draft",
      rankers,
      click_event: clicks.event,
      item_property: clicks.item_property,
      wins_a: r.winsA,
      wins_b: r.winsB,
      ties: r.ties,
      no_clicks: r.noClicks,
      clicks_a: count(row, "clicks_a"),
      clicks_b: count(row, "clicks_b"),
      share_a: num(r.share),
      share_a_ci: [num(r.shareLower), num(r.shareUpper)],
      preference: num(r.winsA + r.winsB > 0 ? r.preference : NaN),
      delta_with_ties: num(r.deltaWithTies),
      p_value: num(r.pValue),
      alpha,
      winner: r.winner === "A" ? rankers[0] : r.winner === "B" ? rankers[1] : null,
    },
    queries: [compiled.interleaving],
    diagnostics,
  };
}
