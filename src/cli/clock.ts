import { ExpError } from "../diagnostics/errors.js";
import { CLI_CODES } from "./codes.js";

/**
 * The instant that time-dependent commands are evaluated at: schedules and lifecycle checks in
 * `exp plan`/`apply`, `exp assign` without `--at`, `exp power`. `EXP_NOW` (an ISO 8601 instant)
 * pins it, so that a CI job, a reproduction of an old plan, or a test suite gets the same answer
 * on any day; without it, the wall clock. `exp serve` starts its clock at EXP_NOW and lets it run.
 * Audit records always carry the real time.
 */
export function currentTime(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env.EXP_NOW;
  if (pinned === undefined || pinned === "") return new Date();
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(pinned) ? Date.parse(pinned) : Number.NaN;
  if (Number.isNaN(ms))
    throw ExpError.of(CLI_CODES.badEnv, `EXP_NOW must be an ISO 8601 instant such as 2026-11-21T09:00:00Z, not "${pinned}"`, {
      suggestion: "unset EXP_NOW to use the wall clock",
    });
  return new Date(ms);
}
