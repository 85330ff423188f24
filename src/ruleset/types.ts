/**
 * The ruleset: the compiled, plain-JSON runtime artefact (docs/runtime.md). Everything evaluation needs and
 * nothing else. Shares are basis points (1% = 100); times are ISO-8601 strings; maps are keyed objects
 * so that the canonical serialisation (sorted keys) is stable. schemas/ruleset.schema.json describes
 * the same shape for other languages; verify.ts checks a ruleset against it.
 */

export const RULESET_SCHEMA_VERSION = 1;

export type AttributeKind = "string" | "number" | "boolean" | "date" | "semver" | "enum";

/** A value expression inside a condition. */
export type Operand =
  | { op: "attr"; name: string }
  | { op: "lit"; value: string | number | boolean | null }
  | { op: "list"; items: Operand[] }
  | { op: "lower" | "len" | "neg"; arg: Operand }
  | { op: "+" | "-" | "*" | "/"; args: [Operand, Operand] };

/** How two operands compare: by JS value, semantic version, or instant in time. */
export type CompareAs = "value" | "semver" | "date";

export type Condition =
  | { op: "true" }
  | { op: "and" | "or"; args: Condition[] }
  | { op: "not"; arg: Condition }
  | { op: "==" | "!=" | "<" | "<=" | ">" | ">="; as: CompareAs; args: [Operand, Operand] }
  | { op: "in"; as: CompareAs; arg: Operand; values: Operand[] }
  | { op: "contains" | "starts_with" | "ends_with"; args: [Operand, Operand] }
  | { op: "matches"; arg: Operand; pattern: string }
  | { op: "between"; as: CompareAs; args: [Operand, Operand, Operand] }
  | { op: "is_null"; arg: Operand }
  /** A bare boolean-valued operand in condition position: true only when it is exactly `true`. */
  | { op: "truthy"; arg: Operand }
  | { op: "segment"; name: string }
  | { op: "in_experiment"; experiment: string; variant?: string };

export interface RulesetVariant {
  key: string;
  /** Basis points; the variants of one experiment sum to 10000. */
  weight: number;
  config?: unknown;
  /** Where a split-URL experiment sends units in this variant; absent for every other design. */
  url?: string;
}

/**
 * The unit name (from exp.yaml `units`) whose experiments hash the session id, and whose analyses
 * count sessions as units and attribute events by `session_id`; every other unit hashes the unit id.
 */
export const SESSION_UNIT = "session";

export interface RulesetExperiment {
  status: "draft" | "running" | "paused" | "stopped" | "archived";
  phase: number;
  unit: string;
  /** Inclusive start, exclusive end. */
  schedule: { start?: string; end?: string };
  holdout: boolean;
  targeting?: Condition;
  layer?: string;
  /** Basis points of eligible units; for layered experiments the width of its slot ranges. */
  traffic: number;
  variants: RulesetVariant[];
  /**
   * When a unit counts as exposed: at assignment (the SDK and the server log it then), or when the
   * client confirms the variant was shown. Absent in rulesets compiled before the field: on_assignment.
   */
  exposure?: "on_assignment" | "on_view";
  /**
   * QA overrides, unit id → variant key: served while the experiment runs, before the schedule,
   * holdouts, targeting and traffic, with `inExperiment` false (no exposure is logged). Absent when
   * there are none, so rulesets compiled before the field keep their checksums.
   */
  overrides?: Record<string, string>;
  /** The registered analysis design; read by `exp plan`, ignored by the runtime. */
  registration?: RulesetRegistration;
  /** Watched by `exp serve`; absent without one. */
  guard?: RulesetGuard;
  /**
   * An interleaving experiment: the runtime enrols a unit but assigns no variant, and `interleave`
   * merges the two rankers' lists (docs/runtime.md#interleaving). Absent for every other type.
   */
  interleaving?: RulesetInterleaving;
}

export interface RulesetInterleaving {
  method: "team_draft" | "balanced";
  /** Ranker A, then ranker B: the teams an item of the merged list is credited to. */
  rankers: [string, string];
}

/**
 * What an experiment promised to analyse, published with it so that a later plan can tell when it
 * changes while the experiment runs. The hypothesis travels as a digest: its text stays in git.
 */
export interface RulesetRegistration {
  /** "sha256:" and the first 16 hex digits of the SHA-256 of the hypothesis text; absent without one. */
  hypothesis?: string;
  primary: string[];
  /** guardrail metric → its max_regression margin, or null when the metric declares none. */
  guardrails: Record<string, number | null>;
  method: string;
  alpha: number;
  /** How many amendments the experiment file declares. */
  amendments: number;
}

export interface RulesetLayer {
  /** experiment key → its slot ranges [start, end) in basis points, in allocation order. */
  slots: Record<string, [number, number][]>;
}

/**
 * A guard the server watches (docs/file-formats.md#guards): on a regression of one of `metrics`
 * beyond its margin, once every arm has `minUnits` units, it stops (`rollback`) or holds (`pause`)
 * the guarded change. Its key names the live statistics it reads: the experiment's key, or
 * `rolloutGuardKey(flag, rule)` for a rollout, whose arms are `rollout` and `default`.
 */
export interface RulesetGuard {
  key: string;
  metrics: string[];
  action: "rollback" | "pause";
  minUnits: number;
}

/** The live statistics key of a guarded rollout (no experiment key has a colon). */
export function rolloutGuardKey(flag: string, rule: string): string {
  return `rollout:${flag}:${rule}`;
}

/** The arms of a guarded rollout: units it served the rolled-out variant, and units it left on the default. */
export const ROLLOUT_ARMS = { treatment: "rollout", control: "default" } as const;

export type RulesetRule =
  | { kind: "serve"; name: string; when?: Condition; variant: string }
  | {
      kind: "rollout";
      name: string;
      when?: Condition;
      variant: string;
      holdout: boolean;
      /** Without `at`, a step gated on the guard that `exp serve` has not taken yet (never in force). */
      steps: RulesetStep[];
      /** Absent without a guard, so rulesets of unguarded rollouts keep their checksums. */
      guard?: RulesetGuard;
    }
  | { kind: "experiment"; name: string; when?: Condition; experiment: string; map: Record<string, string> };

export interface RulesetFlag {
  type: "boolean" | "string" | "number" | "json";
  enabled: boolean;
  /** variant key → value, in declaration order. */
  variants: Record<string, unknown>;
  default: string;
  prerequisites: { flag: string; variant?: string }[];
  /** unit id → variant key. */
  overrides: Record<string, string>;
  rules: RulesetRule[];
}

export interface Ruleset {
  schemaVersion: number;
  hashVersion: number;
  version: number;
  createdAt: string;
  sourceCommit: string | null;
  checksum: string;
  attributes: Record<string, AttributeKind>;
  segments: Record<string, Condition>;
  holdouts: Record<string, { traffic: number }>;
  layers: Record<string, RulesetLayer>;
  experiments: Record<string, RulesetExperiment>;
  flags: Record<string, RulesetFlag>;
}

/** A rollout step of a ruleset: dated, or gated (`afterUnits`, no `at` until `exp serve` takes it). */
export interface RulesetStep {
  at?: string;
  /** Basis points. */
  traffic: number;
  afterUnits?: number;
}
