/** What the server alerts on: a guard metric regressed, the sample ratio is off, or ingestion changed abruptly. */
export const ALERT_KINDS = ["guard_breach", "srm", "ingest_anomaly"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * What a caller reports through `Alerts.notify`: the kind, the experiment it concerns (absent for a
 * server-wide condition, such as the whole event stream stopping), one sentence saying what
 * happened, and plain JSON details. `subject` tells apart conditions of one kind on one experiment
 * (a guard metric, "drop" or "spike") so that each is deduplicated on its own.
 */
export interface AlertNotice {
  kind: AlertKind;
  experiment?: string;
  subject?: string;
  summary: string;
  details?: Record<string, unknown>;
}

/** An alert as it is delivered: the notice, when it was raised (server clock, ISO) and an id receivers can deduplicate by. */
export interface Alert extends AlertNotice {
  id: string;
  at: string;
}

/** One condition: the same key raised again is the same condition persisting. */
export function conditionKey(n: Pick<AlertNotice, "kind" | "experiment" | "subject">): string {
  return `${n.kind}\u0000${n.experiment ?? ""}\u0000${n.subject ?? ""}`;
}

/** A share as a percent for a summary: 0.041 → "4.1%". */
export function percent(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}
