import type { AnalysisResult, ComparisonJson, GuardrailJson, MetricJson, Num, Pair } from "../stats/analysis-types.js";
import type { EvaluationJson } from "../stats/off-policy-comparison.js";
import type { InterleavingJson } from "../stats/interleaving.js";

export type { ComparisonJson, GuardrailJson, MetricJson, Num, Pair };

/**
 * What makes an analysis reproducible, as `exp analyze` attaches it (docs/analysis.md). Restated here rather
 * than imported because the report may depend on the stats engine's types only; the command passes
 * the analysis document in without a cast, so the compiler keeps the two shapes in step.
 */
export interface ReportProvenance {
  sourceCommit: string | null;
  definitionsSha256: string;
  sqlSha256: string;
  engine: string;
  dataWindow: { start: string | null; end: string | null };
}

/** When the analysed phase started and how that is known (docs/analysis.md#phases), as `exp analyze` attaches it. */
export interface ReportPhaseStart {
  at: string | null;
  basis: "phase_column" | "publish_history" | "first_exposure";
  version?: number;
}

/**
 * What `exp analyze --holdout` compared (docs/analysis.md#holdouts), as the analysis attaches it; restated
 * like the provenance so the report depends on the stats engine's types only.
 */
export interface ReportHoldout {
  key: string;
  traffic: number;
  population: { definition: string; since: string | null; as_of: string | null };
  units: { holdout: number; everyone_else: number };
  metrics: string[];
}

/** Power reached so far against the declared relative MDE; `achieved_mde` is null when unknown. */
export interface ReportPower {
  mde: number;
  achieved_mde: Num;
}

/**
 * The docs/analysis.md analysis document: the stats engine's result plus provenance and power. Numbers the
 * engine could not compute (an empty arm, zero variance…) are null, with the reason in `code`.
 */
export type ReportAnalysis = AnalysisResult & { provenance: ReportProvenance; power?: ReportPower; phase_start?: ReportPhaseStart } & {
  /** Off-policy evaluations that compare with the experiment (src/report/off-policy.ts). */
  off_policy?: EvaluationJson[];
  /** An interleaving experiment's preference between its rankers (src/report/interleaving.ts). */
  interleaving?: InterleavingJson;
  /** A holdout's members against everyone else (src/report/holdout.ts). */
  holdout?: ReportHoldout;
};

/** One re-analysis at an --as-of point, for the over-time charts. */
export interface DailyPoint {
  asOf: string;
  units: Record<string, number>;
  /** The first primary metric's relative lift per treatment variant (null when not computable). */
  lift: Record<string, Pick<ComparisonJson, "code" | "rel_lift" | "rel_ci">>;
}

export interface MetricDisplay {
  format: "number" | "percent" | "currency" | "duration";
  direction: "increase" | "decrease";
  description?: string;
}

export interface ReportExperiment {
  key: string;
  name?: string;
  owner?: string;
  hypothesis?: string;
  /** Declared changes to the registered design while running (docs/file-formats.md#amendments), shown in every report. */
  amendments?: { reason: string; date?: string }[];
  schedule: { start?: string; end?: string };
  control: string;
  weights: Record<string, number>;
}

export interface ReportInput {
  analysis: ReportAnalysis;
  experiment: ReportExperiment;
  metrics: Record<string, MetricDisplay>;
  /** Report date, YYYY-MM-DD. */
  date: string;
  /** The instant the data was analysed at (ISO-8601), which the reproduce command repeats. */
  asOf: string;
  /** The warehouse connection the analysis ran on, which the reproduce command names. */
  connection: string;
  daily: DailyPoint[];
}
