import type { PhaseFilter } from "../compiler/sql/index.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { ANALYSIS_CODES } from "./codes.js";
import { tableColumns } from "./table-columns.js";
import type { Warehouse } from "./warehouse.js";

/**
 * Which exposures an analysis of phase N reads (docs/analysis.md#phases). Bumping `phase`
 * re-randomises every unit, so phase-1 and phase-2 exposures are two experiments; pooling them would
 * mix two randomisations.
 *
 * - The exposures table has the (mapped) `phase` column: only phase-N rows, whatever their time.
 * - It has none: exposures from the moment phase N was first published on (the publish history, read
 *   by the caller), with an info diagnostic saying so. Phase 1 without any history reads every
 *   exposure; a later phase without history cannot be told apart, which is a warning.
 */

/** When phase N of an experiment was first published, from the publish target's history. */
export type PhaseStart =
  { readonly found: true; readonly at: string; readonly version: number } | { readonly found: false; readonly why: string };

/** Looks the start of a phase up in the publish history (injected: the analysis layer reads no publish target). */
export type PhaseStartLookup = (experiment: string, phase: number) => Promise<PhaseStart>;

/** Where the phase's start in the report comes from. */
export type PhaseBasis = "phase_column" | "publish_history" | "first_exposure";

export interface PhaseWindow {
  readonly filter?: PhaseFilter;
  readonly basis: PhaseBasis;
  /** The phase's start from the publish history; otherwise the analysis takes its first exposure. */
  readonly start?: string;
  readonly version?: number;
  readonly diagnostics: Diagnostic[];
}

export async function phaseWindow(
  warehouse: Warehouse,
  workspace: Workspace,
  experiment: Experiment,
  lookup: PhaseStartLookup | undefined,
): Promise<PhaseWindow> {
  const table = workspace.settings.warehouse.tables.exposures;
  const column = workspace.settings.warehouse.columns.exposures.phase;
  const columns = await tableColumns(warehouse, table);
  // Without the table the analysis query reports it; nothing to decide here.
  if (!columns) return { basis: "first_exposure", diagnostics: [] };
  if (column !== undefined && columns.has(column)) return { filter: { column: experiment.phase }, basis: "phase_column", diagnostics: [] };

  const phase = experiment.phase;
  const span = experiment.origin.values["phase"] ?? experiment.origin.values[""];
  const missing = `The exposures table "${table}" has no "${column ?? "phase"}" column`;
  const start = lookup ? await lookup(experiment.key, phase) : { found: false as const, why: "no publish history was given" };
  if (start.found) {
    return {
      filter: { since: start.at },
      basis: "publish_history",
      start: start.at,
      version: start.version,
      diagnostics: [
        diagnostic(
          ANALYSIS_CODES.phaseFromHistory,
          `${missing}, so phase ${phase} of "${experiment.key}" is taken to start when it was first published (version ${start.version}, ${start.at}): earlier exposures are left out.`,
          {
            span,
            suggestion: `write the phase of each exposure in a "${column ?? "phase"}" column (exp serve does) to separate phases exactly`,
          },
        ),
      ],
    };
  }
  if (phase === 1) {
    return {
      basis: "first_exposure",
      diagnostics: [
        diagnostic(
          ANALYSIS_CODES.phaseFromHistory,
          `${missing} and the publish history does not show when phase 1 of "${experiment.key}" started (${start.why}); every exposure is analysed as phase 1.`,
          { span },
        ),
      ],
    };
  }
  return {
    basis: "first_exposure",
    diagnostics: [
      diagnostic(
        ANALYSIS_CODES.phaseUnknown,
        `${missing} and the publish history does not show when phase ${phase} of "${experiment.key}" started (${start.why}); the analysis reads every exposure, which mixes phases.`,
        {
          span,
          suggestion: `add a "${column ?? "phase"}" column to the exposures, or analyse with the publish target that published phase ${phase}`,
        },
      ),
    ],
  };
}
