import type { AssignmentResult } from "../../result.js";
import { numberText, stringText } from "../json-text.js";

/** What `POST /v1/assignments` answers besides the assignment itself. */
export interface AssignmentExtras {
  experimentKey: string;
  exposureToken: string | null;
  exposureId: string | null;
}

/**
 * The JSON text of an assignment answer, written field by field: JSON.stringify of the whole
 * answer was a visible share of a small request's time. The text is the one JSON.stringify gives
 * of `{experimentKey, variant, config, url, inExperiment, reasons, hashKey, bucket, exposureToken,
 * exposureLogged, exposureId}` (a test holds the two together). Its part up to the hash key is the
 * same for every unit with the same outcome, and is made once per outcome (`head`).
 */
export function assignmentAnswer(r: AssignmentResult, x: AssignmentExtras): string {
  return (
    `${head(r, x.experimentKey)},"hashKey":${stringText(r.hashKey)},"bucket":${r.bucket === null ? "null" : numberText(r.bucket)}` +
    `,"exposureToken":${x.exposureToken === null ? "null" : stringText(x.exposureToken)}` +
    `,"exposureLogged":${x.exposureId !== null},"exposureId":${x.exposureId === null ? "null" : stringText(x.exposureId)}}`
  );
}

/** The text of an answer's fields before its hash key, and what it was made from. */
interface Head {
  experimentKey: string;
  variant: string | null;
  config: unknown;
  url: string | null | undefined;
  inExperiment: boolean;
  text: string;
}

/**
 * The evaluator's reasons lists are frozen and shared by every result of one outcome (one
 * experiment's "variant B", say), so the head last written for a list is kept with it while the
 * list lives, and used again when the result's other fields before the hash key are the same
 * ones (compared by identity; a list shared by several experiments simply makes new heads). A
 * list that can change is written each time.
 */
const heads = new WeakMap<readonly string[], Head>();

function head(r: AssignmentResult, experimentKey: string): string {
  const frozen = Object.isFrozen(r.reasons);
  const h = frozen ? heads.get(r.reasons) : undefined;
  if (
    h !== undefined &&
    h.experimentKey === experimentKey &&
    h.variant === r.variant &&
    h.config === r.config &&
    h.url === r.url &&
    h.inExperiment === r.inExperiment
  )
    return h.text;
  // An absent url is left out, as JSON.stringify leaves out an undefined property.
  const url = r.url === undefined ? "" : `,"url":${JSON.stringify(r.url)}`;
  const text =
    `{"experimentKey":${JSON.stringify(experimentKey)},"variant":${JSON.stringify(r.variant)}` +
    `,"config":${JSON.stringify(r.config ?? null)}${url},"inExperiment":${JSON.stringify(r.inExperiment)}` +
    `,"reasons":${JSON.stringify(r.reasons)}`;
  if (frozen) heads.set(r.reasons, { experimentKey, variant: r.variant, config: r.config, url: r.url, inExperiment: r.inExperiment, text });
  return text;
}
