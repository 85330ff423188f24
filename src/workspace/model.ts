import type { SourceFile } from "../diagnostics/source.js";
import type { AggregateExpr, AttributeType, Expr, MetricKind, Origin, PropertyType } from "../dsl/index.js";

export type { AttributeType, MetricKind, Origin, PropertyType };
import type { Evaluation } from "./evaluation.js";
export type { Evaluation, EvaluationColumns } from "./evaluation.js";

/**
 * The typed, resolved workspace: what every later stage (ruleset compiler, SQL compiler, plan,
 * analysis) consumes. Produced by the loader in this folder from the YAML files. Plain data.
 * Shares are fractions (50% → 0.5); durations are seconds; timestamps are ISO-8601 strings (UTC).
 */

/** Where an object came from: its file, and spans of its fields by dotted path. */
export interface Duration {
  seconds: number;
  /** Source spelling, e.g. "14d". */
  text: string;
}

export type WarehouseConnection =
  | { type: "duckdb"; path?: string; files?: string[] }
  | { type: "postgres"; url: string }
  | { type: "bigquery"; project?: string; dataset?: string }
  | { type: "snowflake"; account?: string; database?: string; schema?: string }
  | { type: "trino"; url?: string; catalog?: string; schema?: string }
  | { type: "clickhouse"; url: string; database?: string; user?: string; password?: string };

export type PublishTarget =
  { type: "directory"; path: string } | { type: "git"; branch?: string; remote?: string } | { type: "http"; url: string; token?: string };

export type AnalysisMethod = "fixed" | "sequential" | "group_sequential" | "bayesian";
export type Correction = "none" | "bh" | "holm" | "bonferroni";

/**
 * The decision framework (docs/analysis.md#decision): before `min_duration` has passed since the phase
 * started and before every variant has `min_units_per_variant` units, an analysis recommends neither
 * ship nor stop. `ship`: any_primary (some primary metric improves significantly, none gets worse) or
 * all_primaries; `guardrails`: must_pass (ship only when every guardrail passed) or no_breach.
 */
export interface DecisionRules {
  min_duration: Duration;
  min_units_per_variant: number;
  ship: "any_primary" | "all_primaries";
  guardrails: "must_pass" | "no_breach";
}

/** docs/workspace.md defaults of `decision:`; the loader fills them in, and hand-made models fall back to them. */
export const DEFAULT_DECISION: DecisionRules = {
  min_duration: { seconds: 7 * 86400, text: "7d" },
  min_units_per_variant: 1000,
  ship: "any_primary",
  guardrails: "must_pass",
};

export interface AnalysisDefaults {
  alpha: number;
  power: number;
  srm_threshold: number;
  method: AnalysisMethod;
  correction: Correction;
  cuped: boolean;
  cuped_lookback: Duration;
  window: Duration;
  require_guardrails: boolean;
  /** The loader always sets it; absent (a hand-made model) means the built-in defaults. */
  decision?: DecisionRules;
}

/** The unit of epoch numbers in a `ts` column: seconds, milliseconds or microseconds since 1970-01-01 UTC. */
export type EpochUnit = "s" | "ms" | "us";

export interface Settings {
  version: 1;
  project: string;
  units: string[];
  attributes: Record<string, AttributeType>;
  events: Record<string, Record<string, PropertyType>>;
  warehouse: {
    default: string;
    connections: Record<string, WarehouseConnection>;
    /** `identities` absent (a hand-made model) means IDENTITY_MAP_LAYOUT. */
    tables: { exposures: string; events: string; identities?: string };
    /** Column remapping; defaults are the docs/workspace.md names. */
    columns: {
      /** The `phase` column is optional in the table: the analysis checks whether it exists before using it. */
      exposures: {
        unit_id: string;
        experiment: string;
        variant: string;
        ts: string;
        session_id: string;
        attributes: string;
        phase?: string;
      };
      events: { unit_id: string; session_id: string; event: string; ts: string; value: string; properties: string; event_id: string };
      /** The identity map: which user an anonymous id logged in as, and when (the latest row of an anonymous id wins). */
      identities?: { anonymous_id: string; unit_id: string; ts: string };
    };
    /**
     * exp.yaml `columns.<table>.ts_unit`: that table's `ts` holds epoch numbers in this unit, and the
     * SQL converts them to timestamps. Kept apart from `columns`, whose every value is a column name.
     */
    ts_units?: { exposures?: EpochUnit; events?: EpochUnit; identities?: EpochUnit };
  };
  runtime: { publish: PublishTarget };
  /**
   * exp.yaml `environments:` by name (docs/workspace.md#environments); absent when exp.yaml declares
   * none. `resolveEnvironment` (environment.ts) turns the workspace into the one an environment sees.
   */
  environments?: Record<string, Environment>;
  defaults: AnalysisDefaults;
  privacy: PrivacySettings;
  /** exp.yaml `alerts:`; absent when exp.yaml has none (the server then alerts nowhere). */
  alerts?: AlertSettings;
  origin: Origin;
}

/** exp.yaml `alerts:` (docs/alerts.md). */
export interface AlertSettings {
  webhooks: AlertWebhook[];
  /** A condition that persists alerts again after this long. */
  repeat_after: Duration;
  ingest_anomaly: IngestAnomalySettings;
}

export type AlertKind = "guard_breach" | "srm" | "ingest_anomaly";

export interface AlertWebhook {
  name: string;
  /** The URL, or `env:NAME` (resolved when the server starts). */
  url: string;
  format: "json" | "slack";
  kinds: AlertKind[];
}

/** An exposure or event rate over `window` against the rate over the `baseline` before it. */
export interface IngestAnomalySettings {
  window: Duration;
  baseline: Duration;
  /** A share of the baseline rate (0.1). */
  drop_below: number;
  /** A multiple of the baseline rate (10). */
  spike_above: number;
  /** Records the baseline must hold to judge by. */
  min_events: number;
}

/**
 * One environment (e.g. staging, production): its own publish target, and the fields of flags and
 * experiments that differ there. The definitions stay in their files; only these fields change.
 */
export interface Environment {
  name: string;
  description?: string;
  /** exp.yaml names it, or `.exp/published/<name>`. */
  publish: PublishTarget;
  flags: Record<string, FlagEnvironmentOverride>;
  experiments: Record<string, ExperimentEnvironmentOverride>;
}

export interface FlagEnvironmentOverride {
  enabled?: boolean;
  /** Rollout rule name → the steps that replace that rule's steps. */
  steps?: Record<string, RolloutStep[]>;
}

export interface ExperimentEnvironmentOverride {
  status?: ExperimentStatus;
  traffic?: number;
}

/** exp.yaml `privacy:` (docs/privacy.md). */
export interface PrivacySettings {
  /** Stored exposures and events hold an HMAC-SHA-256 of the unit id (keyed by `unit_id_secret`), never the id. */
  hash_unit_ids: boolean;
  /** The HMAC key: the value or `env:NAME`; absent means `env:EXP_UNIT_ID_SECRET`. */
  unit_id_secret?: string;
  /** A file of unit ids, one a line, whose exposures and events are dropped (relative to the workspace). */
  opt_out_file?: string;
  /** Data older than this is purged at compaction. */
  retention?: Duration;
}

export interface Segment {
  key: string;
  description?: string;
  when: Expr;
  whenText: string;
  origin: Origin;
}

export interface Layer {
  key: string;
  description?: string;
  origin: Origin;
}

export interface Holdout {
  key: string;
  traffic: number;
  description?: string;
  origin: Origin;
}

/**
 * The unit whose experiments randomise sessions: analyses count sessions as units, attribute events
 * by `session_id`, and cluster user-level metrics by user. (The ruleset contract, which the runtime
 * reads, names it too: src/ruleset/types.ts.)
 */
export const SESSION_UNIT = "session";

/** The identity map's docs/workspace.md table and column names, for whatever exp.yaml does not remap. */
export const IDENTITY_MAP_LAYOUT = {
  table: "identities",
  columns: { anonymous_id: "anonymous_id", unit_id: "unit_id", ts: "ts" },
} as const;

export interface Metric {
  key: string;
  description?: string;
  owner?: string;
  unit: string;
  expr: Expr;
  exprText: string;
  /** Derived from the shape of expr when the metric is built. "retention" is a conversion filtered on days/hours_since_exposure. */
  kind: MetricKind;
  /** For ratio metrics: numerator and denominator aggregates. For single-aggregate metrics: numerator only. */
  numerator?: AggregateExpr;
  denominator?: AggregateExpr;
  /** For quantile metrics: 0.5, 0.9, 0.95, 0.99. */
  quantile?: number;
  window: Duration;
  direction: "increase" | "decrease";
  format: "number" | "percent" | "currency" | "duration";
  cuped: boolean;
  /** `cuped: { covariates }`: other metrics whose pre-period values are covariates besides the metric's own. */
  cuped_covariates?: string[];
  /**
   * `cuped: { covariates: [{ attribute }] }`: numeric or boolean exposure attributes (declared in
   * exp.yaml) whose value at the unit's first exposure is a covariate; `index` is the entry's
   * position in the YAML list.
   */
  cuped_attributes?: { attribute: string; index: number }[];
  guardrail?: { max_regression: number };
  origin: Origin;
}

export type ExperimentType = "ab" | "multivariate" | "split_url" | "bandit" | "interleaving";
export type ExperimentStatus = "draft" | "running" | "paused" | "stopped" | "archived";

export interface Variant {
  key: string;
  weight: number;
  description?: string;
  config?: unknown;
  url?: string;
}

export interface Experiment {
  key: string;
  name?: string;
  owner?: string;
  hypothesis?: string;
  description?: string;
  type: ExperimentType;
  status: ExperimentStatus;
  phase: number;
  unit: string;
  /**
   * The id the experiment randomises on (docs/analysis.md#identity-stitching): `anonymous` stitches the
   * events a unit logs after login (under its user id) back to it through the identity map. Absent means `user`.
   */
  identity?: "anonymous" | "user";
  layer?: string;
  traffic: number;
  targeting?: Expr;
  targetingText?: string;
  exposure: "on_assignment" | "on_view";
  schedule: { start?: string; end?: string };
  /** In declaration order; for multivariate, the generated factorial (factor values joined by "_"). */
  variants: Variant[];
  control: string;
  /** QA overrides, variant → unit ids: served that variant while the experiment runs, never enrolled, left out of the analysis. */
  overrides?: Record<string, string[]>;
  factors?: Record<string, string[]>;
  bandit?: { algorithm: "thompson" | "epsilon_greedy"; metric: string; min_share: number; epoch: number; epsilon?: number };
  rankers?: string[];
  interleaving_method?: "team_draft" | "balanced";
  /** Interleaving: the declared event whose property names the clicked item (docs/analysis.md#interleaving). */
  interleaving_clicks?: { event: string; item_property: string };
  /** false opts out of holdouts. */
  holdout: boolean;
  /**
   * Set only on the comparison `exp analyze --holdout` builds (docs/analysis.md#holdouts): its units are
   * the units seen in the events, split by membership of this holdout, instead of exposures.
   */
  holdoutPopulation?: { key: string; trafficBp: number; since?: string };
  metrics: { primary: string[]; secondary: string[]; guardrails: string[] };
  analysis: {
    method: AnalysisMethod;
    alpha: number;
    correction: Correction;
    cuped: boolean;
    tuning_n?: number;
    looks?: number;
    spending?: "obrien_fleming" | "pocock";
    prior_variance?: number;
    /** identity: anonymous only: how long after the identify call a user's events count for the anonymous unit. */
    identity_window?: Duration;
    /** Exposure attributes (declared in exp.yaml `attributes`) to break the results down by (docs/analysis.md#dimensions). */
    dimensions?: string[];
    /** Slices with fewer units over all variants are merged into "other" (default DEFAULT_MIN_SLICE_UNITS). */
    min_slice_units?: number;
  };
  /** A sensitive attribute's fairness guardrail (docs/analysis.md#fairness). */
  fairness?: FairnessDesign;
  /**
   * Declared changes to the registered design (primary metrics, hypothesis, method, alpha, guardrail
   * margins) while the experiment runs, oldest first; each one allows one such change at `exp plan`.
   */
  amendments?: { reason: string; date?: string }[];
  /** Design for the power check: relative mde, new eligible units per day, and the primary metric baseline (mean; stddev for non-conversions). */
  power: { mde?: number; daily_units?: number; power?: number; baseline?: number; stddev?: number };
  /** The decision framework, exp.yaml defaults.decision overridden field by field; the loader always sets it. */
  decision?: DecisionRules;
  /** Watched by `exp serve`, which stops or pauses the experiment on a regression. */
  guard?: Guard;
  origin: Origin;
}

/** Slices smaller than this (units over all variants) are merged into "other" unless the experiment says otherwise. */
export const DEFAULT_MIN_SLICE_UNITS = 100;

/** An experiment's `fairness:` block (docs/analysis.md#fairness). */
export interface FairnessDesign {
  /** The sensitive exposure attribute, declared in exp.yaml `attributes`. */
  attribute: string;
  /** Metrics of the experiment whose effect must not differ between groups. */
  metrics: string[];
  /** The largest tolerated difference between a group's relative lift and the other groups' (a share: 0.02 for 2%). */
  max_disparity: number;
  /** Groups with fewer units over all variants are never shown on their own (merged into "other"). */
  min_group_units: number;
  /** A binary outcome metric → the conversion metric holding its true label: demographic parity and equalized odds are reported. */
  labels: Record<string, string>;
}

export type FlagType = "boolean" | "string" | "number" | "json";

export interface FlagPrerequisite {
  flag: string;
  /** When absent, the prerequisite flag must evaluate to the value true. */
  variant?: string;
}

/**
 * A guard (docs/file-formats.md#guards): `exp serve` watches `metrics` (each with a
 * `guardrail.max_regression`) on the guarded change with always-valid confidence sequences, and once
 * every arm has `min_units` units a regression beyond a margin breaks glass: `rollback` stops serving
 * the change (a rollout serves the default; an experiment is stopped), `pause` holds it (a rollout
 * keeps its current percent; an experiment is paused).
 */
export interface Guard {
  metrics: string[];
  action: "rollback" | "pause";
  min_units: number;
}

/** The `min_units` of a guard that does not say. */
export const DEFAULT_GUARD_MIN_UNITS = 500;

/**
 * A rollout step: dated (`at`), or gated on the rule's guard (`afterUnits`, no `at`): `exp serve`
 * takes it, giving it `at`, once the step before has that many units per arm and no regression
 * (docs/file-formats.md#gated-steps).
 */
export interface RolloutStep {
  at?: string;
  /** 0..100 */
  percent: number;
  afterUnits?: number;
}

export type FlagRule =
  | { kind: "serve"; name: string; when?: Expr; whenText?: string; serve: string }
  | {
      kind: "rollout";
      name: string;
      when?: Expr;
      whenText?: string;
      variant: string;
      steps: RolloutStep[];
      holdout: boolean;
      guard?: Guard;
    }
  | { kind: "experiment"; name: string; when?: Expr; whenText?: string; experiment: string; map: Record<string, string> };

export interface Flag {
  key: string;
  description?: string;
  owner?: string;
  type: FlagType;
  /** In declaration order; boolean flags without variants get { on: true, off: false }. */
  variants: { key: string; value: unknown }[];
  default: string;
  enabled: boolean;
  prerequisites: FlagPrerequisite[];
  /** variant → unit ids */
  overrides: Record<string, string[]>;
  rules: FlagRule[];
  origin: Origin;
}

export interface Workspace {
  /** Absolute path of the folder holding exp.yaml. */
  root: string;
  settings: Settings;
  segments: Map<string, Segment>;
  metrics: Map<string, Metric>;
  experiments: Map<string, Experiment>;
  flags: Map<string, Flag>;
  layers: Map<string, Layer>;
  holdouts: Map<string, Holdout>;
  /** Every file read, by workspace-relative path (for caret snippets). */
  files: Map<string, SourceFile>;
  /** The environment this workspace was resolved for (environment.ts); absent for the workspace as written. */
  environment?: string;
  /** Off-policy evaluations (evaluations/*.yaml, evaluation.ts); absent in a hand-made model. */
  evaluations?: Map<string, Evaluation>;
}
