import type { Experiment, Workspace } from "../../workspace/model.js";
import type { SatisfiabilityEnv } from "./satisfiable.js";

/** The satisfiability environment of a workspace: its segments (inlined) and declared attribute types. */
export function targetingEnv(ws: Workspace): SatisfiabilityEnv {
  return {
    segment: (name) => ws.segments.get(name)?.when,
    attributes: ws.settings.attributes,
  };
}

/** Experiments whose status is running, in key order so that diagnostics come out stably. */
export function runningExperiments(ws: Workspace): Experiment[] {
  return [...ws.experiments.values()].filter((e) => e.status === "running").sort((a, b) => a.key.localeCompare(b.key));
}

export function percent(share: number): string {
  return `${Math.round(share * 10000) / 100}%`;
}
