import { createHash } from "node:crypto";

/**
 * The id of a unit's exposure to one phase of an experiment. It depends on nothing else, so the
 * SDK, a retry and the server's own logging (`POST /v1/assignments`) all name the same exposure
 * the same way, and the server's deduplication keeps the first.
 */
export function exposureId(experiment: string, phase: number, unit: string): string {
  return createHash("sha256")
    .update(JSON.stringify([experiment, phase, unit]))
    .digest("hex")
    .slice(0, 32);
}
