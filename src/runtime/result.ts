/** What evaluation returns (docs/runtime.md and the §9 wire shapes). Reasons are stable snake_case codes. */

export type AssignmentReason =
  | "experiment_not_found"
  | "not_running"
  | "before_schedule"
  | "after_schedule"
  | "running"
  | "override"
  | "no_session_id"
  | `in_holdout:${string}`
  | "not_in_holdout"
  | "holdout_exempt"
  | "targeting_mismatch"
  | "targeting_match"
  | "outside_layer_slot"
  | "in_layer_slot"
  | "outside_traffic"
  | "in_traffic"
  | "no_variant"
  /** An enrolled unit of an interleaving experiment: it gets no variant; call `interleave` for its list. */
  | "interleaving"
  | `variant:${string}`;

export interface AssignmentResult {
  experiment: string;
  variant: string | null;
  config: unknown;
  /** The variant's page in a split-URL experiment; null when not enrolled or the variant has none. */
  url: string | null;
  inExperiment: boolean;
  /** Every decision taken, in order; shared and frozen: do not mutate. */
  reasons: readonly AssignmentReason[];
  /** The variant bucket (0..9999) when the unit reached the variant step, else null. */
  bucket: number | null;
  /** The unit id that was hashed. */
  hashKey: string;
}

export type FlagReason =
  | "flag_not_found"
  | "disabled"
  | "override"
  | "prerequisite_failed"
  | "rule_match"
  | "rollout"
  | "rollout_excluded"
  | "holdout"
  | "experiment"
  | "default";

export interface FlagResult {
  flag: string;
  value: unknown;
  variant: string | null;
  reason: FlagReason;
  /** The rule that decided, or null. */
  rule: string | null;
}

export interface EvaluateAllResult {
  experiments: Record<string, AssignmentResult>;
  flags: Record<string, FlagResult>;
}
