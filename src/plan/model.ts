import type { DiagnosticJson } from "../diagnostics/diagnostic.js";

/**
 * A plan is data (STYLE habit 6): computed by a pure diff of the desired ruleset against the
 * published one, saved as a versioned, fingerprinted file, and rendered as text, markdown or JSON.
 */
/** 2: reassignment causes are objects, and a condition field is diffed whole. */
export const PLAN_FORMAT_VERSION = 2;

export type Action = "create" | "update" | "delete" | "replace";

export interface FieldDiff {
  /** Dotted path inside the object, e.g. "variants.control.weight". */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Who an experiment change moves, as shares of the units enrolled now (docs/hashing.md "What changes whom"). */
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
  /** Why units move, as data; the views turn each into a sentence (`causeSentence`). */
  causes: ReassignmentCause[];
}

/**
 * One reason a change moves enrolled units. Shares are of today's enrolled units unless said otherwise;
 * `ranges` tells whether enrollment is by traffic or by layer slot ranges.
 */
export type ReassignmentCause =
  /** The experiment stops running: every enrolled unit leaves. */
  | { kind: "status"; to: string }
  /** Another randomisation unit: every enrolled unit leaves and another population enrols. */
  | { kind: "unit"; from: string; to: string }
  /** Another layer (or none): enrollment is drawn again with another seed. */
  | { kind: "layer"; from: string | null; to: string | null }
  /** A phase bump draws enrollment (traffic experiments) or only the variants (layered ones) again. */
  | { kind: "phase"; from: number; to: number; redraws: "enrollment" | "variants" }
  /** Holdouts grew: this share moves into a holdout. */
  | { kind: "holdouts"; share: number }
  /** Weights changed: this share of the units that stay switches variant. */
  | { kind: "weights"; share: number }
  /** Traffic or slot ranges shrank: this share leaves. */
  | { kind: "shrank"; ranges: "traffic" | "slots"; share: number }
  /** Traffic or slot ranges grew: new units enrol, this share of today's count. */
  | { kind: "grew"; ranges: "traffic" | "slots"; share: number }
  /** Targeting (or a segment it uses) changed: an unknown share enters or leaves. */
  | { kind: "targeting" };

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

/** The amendments an experiment file declares beyond those already published, with their reasons. */
export interface PlanAmendment {
  experiment: string;
  reasons: string[];
}

export interface Plan {
  formatVersion: number;
  /** The exp.yaml environment the plan is for (`--env`); absent when the workspace declares none. */
  environment?: string;
  /** The published version and checksum this plan was computed against (null when nothing is published). */
  basedOnVersion: number | null;
  basedOnChecksum: string | null;
  /** Checksum of the desired ruleset's content; apply publishes exactly this. */
  desiredChecksum: string;
  sourceCommit: string | null;
  changes: Change[];
  checks: CheckResult[];
  drift?: Drift;
  /** Amendments to the registered design of started experiments that this plan publishes (audited by apply). */
  amendments?: PlanAmendment[];
  summary: { create: number; update: number; delete: number; replace: number };
  /** 0 no changes, 1 errors, 2 changes, 3 failed checks. */
  exitCode: number;
}
