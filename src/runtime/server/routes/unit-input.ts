import { attributesProblem } from "../../../workspace/declared-input.js";
import { attributesField, unitField } from "../../unit-request.js";
import { HttpError } from "../http-io.js";
import { textProblem } from "../records.js";
import type { ServerState } from "../state.js";

/**
 * The unit and attributes of an evaluation request: `userId` (or `unit`) and `context` (or
 * `attributes`), as `exp assign --batch` reads them too. The unit id follows the ingestion rules
 * (records.ts), since the exposure a token confirms must be storable; the attributes must be the
 * ones exp.yaml declares, with their declared types, when the server was given the declarations.
 */
export function unitInput(s: ServerState, b: Record<string, unknown>): { user: string; attrs: Record<string, unknown> } {
  const unit = unitField(b);
  if ("problem" in unit) throw new HttpError(400, unit.problem);
  const problem = textProblem(unit.value, true);
  if (problem) throw new HttpError(400, `"${unit.name}" ${problem}`);
  const attrs = attributesField(b);
  if ("problem" in attrs) throw new HttpError(400, attrs.problem);
  const c = attrs.value ?? {};
  if (typeof c !== "object" || Array.isArray(c)) throw new HttpError(400, `"${attrs.name}" must be a JSON object of unit attributes`);
  const declared = s.declarations?.attributes;
  const bad = declared && attributesProblem(c as Record<string, unknown>, declared);
  if (bad) throw new HttpError(400, `"${attrs.name}": ${bad.message}`, bad.suggestion);
  return { user: unit.value as string, attrs: c as Record<string, unknown> };
}

/** The session id that experiments whose unit is `session` hash; optional, stored like the unit id. */
export function sessionInput(b: Record<string, unknown>): string | undefined {
  const problem = textProblem(b.sessionId, false);
  if (problem) throw new HttpError(400, `"sessionId" ${problem}`);
  // An empty session id is no session: hashing "" would put every such caller in one bucket.
  return (b.sessionId as string | undefined) || undefined;
}
