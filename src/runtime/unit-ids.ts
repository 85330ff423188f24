/**
 * Which id an experiment hashes. Every unit hashes the caller's id (`userId`) except `session`,
 * which hashes the session id: a session experiment randomises each visit on its own, and its
 * exposures keep the user id beside the session id so that an analysis can cluster by user.
 */
export interface UnitIds {
  readonly userId: string;
  readonly sessionId?: string;
}

/** A caller as evaluation takes it: the user id alone, or with the session id. */
export type UnitRef = string | UnitIds;

export { SESSION_UNIT } from "../ruleset/types.js";

export function userIdOf(unit: UnitRef): string {
  return typeof unit === "string" ? unit : unit.userId;
}

export function sessionIdOf(unit: UnitRef): string | undefined {
  return typeof unit === "string" ? undefined : unit.sessionId;
}
