/**
 * What the live view shows but does not compute: live per-metric statistics and guard states come
 * from elsewhere in the server and are passed in as providers, so the view only renders them.
 * Without them the view shows that they are not available, and no guard.
 */

/** A guardrail's verdict under continuous monitoring. */
export type GuardrailState = "passed" | "failed" | "inconclusive";

/** One metric of one variant of one experiment, as the live statistics summarise it. */
export interface LiveMetricRow {
  experiment: string;
  metric: string;
  /** Primary metrics and guardrails are shown; the view sorts by this. */
  role: "primary" | "guardrail" | "secondary";
  variant: string;
  /** Units exposed to the variant that the metric counts. */
  units: number;
  mean: number | null;
  /** Relative lift over the control; null for the control itself and before there is enough data. */
  lift: number | null;
  /** The always-valid confidence sequence of the lift. */
  lower: number | null;
  upper: number | null;
  /** Guardrails only. */
  state?: GuardrailState;
}

/** Live sample ratio mismatch of one experiment, at the workspace's threshold. */
export interface LiveSrm {
  chi2: number;
  p: number;
  threshold: number;
  ok: boolean;
}

/** A guard on a rollout rule or an experiment: watching, not yet deciding, or breached (and acted on). */
export interface LiveGuard {
  target: "experiment" | "flag";
  /** The experiment's or the flag's key. */
  key: string;
  /** The guarded rollout rule of a flag. */
  rule?: string;
  state: "collecting" | "watching" | "breached";
  action: "rollback" | "pause";
  metrics: string[];
  /** ISO-8601 time of the breach. */
  since?: string;
  /** One sentence: what the guard saw. */
  reason?: string;
}

export interface LiveProviders {
  /** Per metric × variant of every live experiment; the SRM the view shows comes from exposures unless given here. */
  metrics(): LiveMetricRow[] | Promise<LiveMetricRow[]>;
  srm?(experiment: string): LiveSrm | undefined;
  guards(): LiveGuard[] | Promise<LiveGuard[]>;
}

export const NO_PROVIDERS: LiveProviders = { metrics: () => [], guards: () => [] };
