import type { AllocationEpoch, EpochLookup } from "../analysis/bandit-epochs.js";
import { openPublishTarget } from "../plan/target/open.js";
import type { PublishTarget } from "../plan/target/target.js";
import type { Workspace } from "../workspace/model.js";

/**
 * A bandit's allocation epochs from the workspace's publish target (read only): walking the audit
 * log in order (or, without one, the versions and their creation times), each time a published
 * version carries the experiment at the analysed phase with weights unlike the epoch before, a new
 * epoch starts at that record's time. A rollback to older weights is an epoch too: they went live
 * again then. An unreadable target gives no epochs, and the analysis falls back to the current weights.
 */
export function allocationEpochs(ws: Workspace, env?: NodeJS.ProcessEnv): EpochLookup {
  let target: PublishTarget | undefined;
  return async (experiment, phase) => {
    try {
      target ??= openPublishTarget(ws.settings.runtime.publish, ws.root, { env });
      return await epochsOf(target, experiment, phase);
    } catch {
      return [];
    }
  };
}

/** When each version went live, in publish order. */
async function timeline(target: PublishTarget): Promise<{ at: string; version: number }[]> {
  const records = await target.audit();
  if (records.length > 0)
    return [...records].sort((a, b) => a.seq - b.seq).map((r) => ({ at: new Date(r.ts).toISOString(), version: r.toVersion }));
  const out: { at: string; version: number }[] = [];
  for (const version of await target.versions()) {
    const created = (await target.get(version))?.ruleset.createdAt;
    if (created) out.push({ at: new Date(created).toISOString(), version });
  }
  return out;
}

async function epochsOf(target: PublishTarget, experiment: string, phase: number): Promise<AllocationEpoch[]> {
  const epochs: AllocationEpoch[] = [];
  const weightsOf = new Map<number, Record<string, number> | undefined>();
  for (const { at, version } of await timeline(target)) {
    if (!weightsOf.has(version)) {
      const e = (await target.get(version))?.ruleset.experiments[experiment];
      weightsOf.set(version, e && e.phase === phase ? Object.fromEntries(e.variants.map((v) => [v.key, v.weight])) : undefined);
    }
    const weights = weightsOf.get(version);
    if (!weights) continue;
    const last = epochs[epochs.length - 1];
    if (last && sameWeights(last.weights, weights)) continue;
    epochs.push({ from: at, version, weights });
  }
  return epochs;
}

function sameWeights(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}
