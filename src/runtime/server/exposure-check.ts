import { bucketerFor, pickIndex } from "../../ruleset/hash.js";
import type { Ruleset } from "../../ruleset/types.js";
import { INTERLEAVED_VARIANT } from "../sdk/interleaving-exposure.js";
import { SESSION_UNIT } from "../unit-ids.js";
import { rolloutExposureProblem } from "./guards/rollout-exposure.js";

export interface ClaimedExposure {
  experiment: string;
  phase: number;
  unit: string;
  /** The session id, which a session experiment hashes for traffic and variant. */
  session?: string;
  variant: string;
}

/**
 * Why the served ruleset could not have given this exposure, or undefined when it could. An SDK
 * evaluates locally and has no secret to sign with, so the server re-derives what needs no
 * attributes: the experiment and its phase, the holdouts, the traffic bucket (or layer slot) and
 * the variant bucket. Targeting and schedules cannot be checked without the unit's attributes and
 * the instant of assignment; they are taken on trust from a key with the ingest scope. Holdouts
 * hash the user id; a session experiment's traffic and variant hash the session id.
 */
export function exposureProblem(ruleset: Ruleset, x: ClaimedExposure): string | undefined {
  // Guarded rollouts log under their guard's key, which no experiment key can be (it has colons).
  if (x.experiment.startsWith("rollout:")) return rolloutExposureProblem(ruleset, x);
  const e = ruleset.experiments[x.experiment];
  if (!e) return `no experiment "${x.experiment}" in ruleset version ${ruleset.version}`;
  if (e.phase !== x.phase) return `experiment "${x.experiment}" is in phase ${e.phase}, not ${x.phase}`;
  const key = e.unit === SESSION_UNIT ? x.session : x.unit;
  if (key === undefined) return `experiment "${x.experiment}" randomises sessions; send the exposure's "sessionId"`;
  if (e.holdout)
    for (const [key, h] of Object.entries(ruleset.holdouts))
      if (bucketerFor(`holdout:${key}`)(x.unit) < h.traffic)
        return `the unit is in holdout "${key}", which experiment "${x.experiment}" excludes`;
  if (e.layer !== undefined) {
    const tb = bucketerFor(`layer:${e.layer}`)(key);
    const slots = ruleset.layers[e.layer]?.slots[x.experiment] ?? [];
    if (!slots.some(([start, end]) => tb >= start && tb < end))
      return `the unit is outside the layer slots of experiment "${x.experiment}"`;
  } else if (bucketerFor(`traffic:${x.experiment}:${e.phase}`)(key) >= e.traffic)
    return `the unit is outside the traffic of experiment "${x.experiment}"`;
  // An interleaving unit gets no variant: its exposures say so (sdk/interleaving-exposure.ts).
  if (e.interleaving !== undefined)
    return x.variant === INTERLEAVED_VARIANT
      ? undefined
      : `experiment "${x.experiment}" interleaves; its exposures have variant "${INTERLEAVED_VARIANT}"`;
  const i = pickIndex(
    e.variants.map((v) => v.weight),
    bucketerFor(`variant:${x.experiment}:${e.phase}`)(key),
  );
  const picked = i < 0 ? undefined : e.variants[i]!.key;
  if (picked !== x.variant) return `experiment "${x.experiment}" gives the unit variant "${picked ?? "none"}", not "${x.variant}"`;
  return undefined;
}
