import { percent, type AlertNotice } from "./alert.js";

/** A guard found a regression (issue 13's guarded rollouts): what it guards, the metric, how far, and what was done. */
export interface GuardBreach {
  /** The guarded experiment; or, for a guarded rollout, the flag and the index of its rule. */
  target: { experiment: string } | { flag: string; rule: number };
  metric: string;
  /** The regression the confidence sequence shows, relative (0.041 is 4.1% worse). */
  regression: number;
  /** The metric's `max_regression`, relative. */
  maxRegression: number;
  /** What the server did: the rollout serves the default, or the experiment serves control. */
  action: "rollback" | "pause";
  /** Units per arm the guard judged with, when known. */
  units?: number;
}

/**
 * The notice of a guard breach, one condition per guarded target and metric, for
 * `Alerts.notify(guardBreachNotice(…))`: a guard that keeps finding the same regression alerts
 * once per repeat interval, and resolving it (`Alerts.resolve` with the same notice) re-arms it.
 */
export function guardBreachNotice(b: GuardBreach): AlertNotice {
  const t = b.target;
  const where = "experiment" in t ? `experiment "${t.experiment}"` : `the rollout of flag "${t.flag}" (rule ${t.rule})`;
  const done =
    b.action === "rollback" ? "it was rolled back and serves the flag's default" : "it was paused and serves control to everyone";
  return {
    kind: "guard_breach",
    ...("experiment" in t ? { experiment: t.experiment, subject: b.metric } : { subject: `flag ${t.flag} rule ${t.rule} ${b.metric}` }),
    summary: `"${b.metric}" regressed by ${percent(b.regression)} in ${where}, beyond its max_regression of ${percent(b.maxRegression)}; ${done}`,
    details: {
      ...("experiment" in t ? {} : { flag: t.flag, rule: t.rule }),
      metric: b.metric,
      regression: b.regression,
      max_regression: b.maxRegression,
      action: b.action,
      ...(b.units !== undefined ? { units: b.units } : {}),
    },
  };
}
