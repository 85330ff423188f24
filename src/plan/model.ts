import type { DiagnosticJson } from "../diagnostics/diagnostic.js";

/**
 * A plan is data (STYLE habit 6): computed by a pure diff of the desired ruleset against the
 * published one, saved as a versioned, fingerprinted file, and rendered as text, markdown or JSON.
 */
export const PLAN_FORMAT_VERSION = 1;

export type Action = "create" | "update" | "delete" | "replace";

export interface FieldDiff {
  /** Dotted path inside the object, e.g. "variants.control.weight". */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Who an experiment change moves, as shares of the units enrolled now (HASHING.md "What changes whom"). */
export interface Reassignment {
  experiment: string;
  /** Share of currently enrolled units that would get another variant. Null when unknown. */
  switchShare: number | null;
  /** Share of currently enrolled units that would leave the experiment. Null when unknown. */
  leaveShare: number | null;
  /** Newly enrolled units, as a share of the units enrolled now. */
  newShare: number | null;
  /** Whether the shares are exact (bucket ranges) or unknown (targeting changed). */
  exact: boolean;
  /** The change re-randomises on purpose (phase bump). */
  phaseBumped: boolean;
  /** Readable causes, e.g. `weights changed: 30.00% switch variant`. */
  causes: string[];
}

export interface Change {
  /** e.g. "experiment.checkout_redesign", "flag.new_search", "layer.checkout", "holdout.global_2026", "segment.employees". */
  address: string;
  kind: "experiment" | "flag" | "segment" | "layer" | "holdout" | "attribute";
  key: string;
  action: Action;
  fieldDiffs: FieldDiff[];
  reassignment?: Reassignment;
}

export interface CheckResult {
  name: string;
  status: "passed" | "failed" | "warned";
  diagnostics: DiagnosticJson[];
}

export interface Drift {
  /** The published version that git did not produce. */
  version: number;
  /** How it got there, e.g. "rollback by alice at 2026-11-21T10:00:00Z". */
  cause: string;
  reconcile: string;
}

export interface Plan {
  formatVersion: number;
  /** The published version and checksum this plan was computed against (null when nothing is published). */
  basedOnVersion: number | null;
  basedOnChecksum: string | null;
  /** Checksum of the desired ruleset's content; apply publishes exactly this. */
  desiredChecksum: string;
  sourceCommit: string | null;
  changes: Change[];
  checks: CheckResult[];
  drift?: Drift;
  summary: { create: number; update: number; delete: number; replace: number };
  /** 0 no changes, 1 errors, 2 changes, 3 failed checks. */
  exitCode: number;
}
