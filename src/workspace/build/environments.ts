import type { Environment, ExperimentEnvironmentOverride, FlagEnvironmentOverride, PublishTarget, RolloutStep } from "../model.js";
import { defaultEnvironmentPublish } from "../environment.js";
import type { FileBuild } from "./context.js";
import { dict } from "./values.js";

type Raw = Record<string, any>;

/** exp.yaml `environments:` (shape guaranteed by the schema); undefined when exp.yaml declares none. */
export function buildEnvironments(b: FileBuild, raw: Raw | undefined): Record<string, Environment> | undefined {
  if (raw === undefined) return undefined;
  const environments = dict<Environment>();
  for (const [name, e] of Object.entries(raw as Record<string, Raw>)) {
    const path = `environments.${name}`;
    const flags = dict<FlagEnvironmentOverride>();
    for (const [key, f] of Object.entries((e.flags ?? {}) as Record<string, Raw>)) {
      const steps = f.steps === undefined ? undefined : dict<RolloutStep[]>();
      for (const [rule, list] of Object.entries((f.steps ?? {}) as Record<string, Raw[]>))
        steps![rule] = list.map((s, k) => ({ at: b.timestamp(`${path}.flags.${key}.steps.${rule}.${k}.at`, s.at), percent: s.percent }));
      flags[key] = { ...(f.enabled !== undefined ? { enabled: f.enabled } : {}), ...(steps ? { steps } : {}) };
    }
    const experiments = dict<ExperimentEnvironmentOverride>();
    for (const [key, x] of Object.entries((e.experiments ?? {}) as Record<string, Raw>))
      experiments[key] = {
        ...(x.status !== undefined ? { status: x.status } : {}),
        ...(x.traffic !== undefined ? { traffic: b.share(`${path}.experiments.${key}.traffic`, x.traffic) } : {}),
      };
    environments[name] = {
      name,
      ...(e.description !== undefined ? { description: e.description } : {}),
      publish: (e.publish as PublishTarget | undefined) ?? defaultEnvironmentPublish(name),
      flags,
      experiments,
    };
  }
  return environments;
}
