import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { RulesetRegistration } from "../../ruleset/types.js";
import type { ExperimentStatus, Workspace } from "../../workspace/model.js";

/** A basis-point range [start, end) of a layer's slot space [0, 10000). */
export type SlotRange = [number, number];

/** What is published now for one experiment (the fields the checks compare against). */
export interface PublishedExperiment {
  status: ExperimentStatus;
  phase: number;
  schedule: { start?: string; end?: string };
  /** Its registered design; absent in rulesets published before designs were recorded. */
  registration?: RulesetRegistration;
}

/** What every plan check sees: the desired workspace plus what the plan stage knows about the world. */
export interface CheckContext {
  desired: Workspace;
  /** What is published now, per experiment/flag key; undefined when nothing was ever published. */
  published?: {
    experiments: Map<string, PublishedExperiment>;
    flags: Map<string, { enabled: boolean }>;
  };
  /** Layer slot allocations of the desired ruleset: layer → experiment → ranges in basis points. */
  allocations?: Map<string, Map<string, SlotRange[]>>;
  /** The registered design of each experiment in the desired ruleset. */
  registrations?: Map<string, RulesetRegistration>;
  now: Date;
  /** Last commit time touching each workspace-relative file, from git history; absent outside git. */
  lastChanged?: Map<string, Date>;
}

/** One policy check of `exp plan`: errors fail the plan (exit 3), warnings and infos inform. */
export interface PlanCheck {
  name: string;
  run(ctx: CheckContext): Diagnostic[];
}
