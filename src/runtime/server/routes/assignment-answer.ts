import type { AssignmentResult } from "../../result.js";

/** What `POST /v1/assignments` answers besides the assignment itself. */
export interface AssignmentExtras {
  experimentKey: string;
  exposureToken: string | null;
  exposureId: string | null;
}

/**
 * The JSON text of an assignment answer, written field by field: JSON.stringify of the whole
 * answer was a visible share of a small request's time, most of it spent on the reasons, a list
 * the evaluator shares and freezes, whose text is therefore made once. The text is the one
 * JSON.stringify gives of `{experimentKey, variant, config, url, inExperiment, reasons, hashKey,
 * bucket, exposureToken, exposureLogged, exposureId}` (a test holds the two together).
 */
export function assignmentAnswer(r: AssignmentResult, x: AssignmentExtras): string {
  // An absent url is left out, as JSON.stringify leaves out an undefined property.
  const url = r.url === undefined ? "" : `,"url":${JSON.stringify(r.url)}`;
  return (
    `{"experimentKey":${JSON.stringify(x.experimentKey)},"variant":${JSON.stringify(r.variant)}` +
    `,"config":${JSON.stringify(r.config ?? null)}${url},"inExperiment":${JSON.stringify(r.inExperiment)}` +
    `,"reasons":${reasonsText(r.reasons)},"hashKey":${JSON.stringify(r.hashKey)},"bucket":${JSON.stringify(r.bucket)}` +
    `,"exposureToken":${JSON.stringify(x.exposureToken)},"exposureLogged":${x.exposureId !== null}` +
    `,"exposureId":${JSON.stringify(x.exposureId)}}`
  );
}

/** The text of each frozen reasons list, kept while the list lives; a list that can change is written each time. */
const reasonTexts = new WeakMap<readonly string[], string>();

function reasonsText(reasons: readonly string[]): string {
  if (!Object.isFrozen(reasons)) return JSON.stringify(reasons);
  let text = reasonTexts.get(reasons);
  if (text === undefined) reasonTexts.set(reasons, (text = JSON.stringify(reasons)));
  return text;
}
