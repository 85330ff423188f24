import type { PhaseStart, PhaseStartLookup } from "../analysis/phase.js";
import { openPublishTarget } from "../plan/target/open.js";
import type { PublishTarget } from "../plan/target/target.js";
import type { Workspace } from "../workspace/model.js";

/**
 * When phase N of an experiment was first published, from the workspace's publish target (read only):
 * the first audit record whose version has the experiment at phase N gives the time it went live; a
 * target without audit records falls back to the versions themselves, in order, and their creation
 * time. What the analysis uses when the exposures table has no phase column (docs/analysis.md#phases).
 * Answers are kept per experiment and phase, since a report analyses the same phase several times.
 */
export function publishHistory(ws: Workspace, env?: NodeJS.ProcessEnv): PhaseStartLookup {
  const known = new Map<string, Promise<PhaseStart>>();
  let target: PublishTarget | undefined;
  return (experiment, phase) => {
    const key = `${experiment}\u0000${phase}`;
    let answer = known.get(key);
    if (!answer) {
      answer = (async () => {
        try {
          target ??= openPublishTarget(ws.settings.runtime.publish, ws.root, { env });
          return await firstPublished(target, experiment, phase);
        } catch (err) {
          return { found: false, why: `the publish target cannot be read: ${(err as Error).message}` };
        }
      })();
      known.set(key, answer);
    }
    return answer;
  };
}

async function firstPublished(target: PublishTarget, experiment: string, phase: number): Promise<PhaseStart> {
  const phaseOf = new Map<number, number | undefined>();
  const rulesetPhase = async (version: number) => {
    if (!phaseOf.has(version)) phaseOf.set(version, (await target.get(version))?.ruleset.experiments[experiment]?.phase);
    return phaseOf.get(version);
  };
  const records = await target.audit();
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    if ((await rulesetPhase(r.toVersion)) === phase) return { found: true, at: new Date(r.ts).toISOString(), version: r.toVersion };
  }
  const versions = await target.versions();
  for (const v of versions) {
    if ((await rulesetPhase(v)) !== phase) continue;
    const created = (await target.get(v))?.ruleset.createdAt;
    if (created) return { found: true, at: new Date(created).toISOString(), version: v };
  }
  return {
    found: false,
    why:
      versions.length === 0
        ? `nothing is published in ${target.description}`
        : `no version in ${target.description} has it at phase ${phase}`,
  };
}
