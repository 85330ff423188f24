/**
 * What a report is drawn from: the SPEC §7 analysis JSON (the contract, so the report reads it
 * structurally) plus the experiment's descriptive fields and optional daily re-analyses.
 */
export interface Comparison {
  variant: string;
  diff: number;
  diff_ci: [number, number];
  rel_lift: number;
  rel_ci: [number, number];
  p_value: number;
  p_value_adjusted?: number;
  significant: boolean;
  cuped?: { applied: boolean; theta?: number; variance_reduction?: number };
  code?: string;
}

export interface MetricResult {
  metric: string;
  tier: "primary" | "secondary" | "guardrail";
  kind: string;
  variants: Record<string, { n: number; mean: number; variance: number }>;
  comparisons: Comparison[];
}

export interface GuardrailResult {
  metric: string;
  /** Non-inferiority shown for every treatment. */
  passed: boolean;
  /** A treatment regressed significantly beyond the margin (absent in older analyses: then !passed). */
  breached?: boolean;
  /** Per treatment: "passed" | "breached" | "inconclusive" | "failed". */
  variants?: { variant: string; status: string }[];
  variant?: string;
  max_regression?: number;
  p_value?: number;
}

export interface AnalysisJson {
  experiment: string;
  phase: number;
  method: string;
  alpha: number;
  provenance?: { sourceCommit?: string; definitionsSha256?: string; sqlSha256?: string; engine?: string; dataWindow?: { start?: string; end?: string } };
  units: Record<string, number>;
  multiple_exposures: number;
  srm: { chi2: number; p_value: number; ok: boolean };
  metrics: MetricResult[];
  guardrails: GuardrailResult[];
  decision: { recommendation: string; reasons: string[] };
  power?: { mde?: number; achieved_mde?: number; power_at_mde?: number };
}

/** One daily re-analysis at an --as-of point, for the over-time charts. */
export interface DailyPoint {
  asOf: string;
  units: Record<string, number>;
  /** Relative lift of the first primary metric per treatment variant. */
  lift: Record<string, { rel_lift: number; rel_ci: [number, number] }>;
}

export interface MetricDisplay {
  format: "number" | "percent" | "currency" | "duration";
  direction: "increase" | "decrease";
  description?: string;
}

export interface ReportInput {
  analysis: AnalysisJson;
  experiment: {
    key: string;
    name?: string;
    owner?: string;
    hypothesis?: string;
    schedule: { start?: string; end?: string };
    control: string;
    weights: Record<string, number>;
  };
  metrics: Record<string, MetricDisplay>;
  /** Report date, YYYY-MM-DD; the only date in the body, so same-day regeneration is byte-identical. */
  date: string;
  daily: DailyPoint[];
}
