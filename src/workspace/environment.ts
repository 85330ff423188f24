import { diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { WorkspaceCodes as C } from "./codes.js";
import type { Environment, Experiment, Flag, PublishTarget, Workspace } from "./model.js";

/** Where an environment publishes when exp.yaml names no target for it: a folder of its own. */
export function defaultEnvironmentPublish(name: string): PublishTarget {
  return { type: "directory", path: `.exp/published/${name}` };
}

/**
 * The environment a command works on. Without `environments:` in exp.yaml there is none, and `--env`
 * is refused. With them, `--env` is required: a publish to production must never happen because a
 * flag was left out, so there is no default environment.
 */
export function selectEnvironment(declared: readonly string[] | undefined, requested: string | undefined): Result<string | null> {
  if (!declared) {
    if (requested === undefined) return { value: null, diagnostics: [] };
    return {
      diagnostics: [
        diagnostic(C.unknownEnvironment, `environment "${requested}" is not declared: exp.yaml has no "environments:"`, {
          suggestion: "remove --env, or declare the environment under environments: in exp.yaml",
        }),
      ],
    };
  }
  const names = [...declared].sort();
  if (requested === undefined)
    return {
      diagnostics: [
        diagnostic(
          C.environmentRequired,
          `exp.yaml declares environments (${names.map((n) => `"${n}"`).join(", ")}); choose one with --env`,
          {
            suggestion: `pass --env ${names[0]}`,
          },
        ),
      ],
    };
  if (declared.includes(requested)) return { value: requested, diagnostics: [] };
  return {
    diagnostics: [
      diagnostic(C.unknownEnvironment, `unknown environment "${requested}"; use one that exp.yaml declares (${names.join(", ")})`, {
        suggestion: didYouMean(requested, names),
      }),
    ],
  };
}

/**
 * The workspace as one environment sees it: that environment's publish target, and its overrides of
 * flag and experiment fields applied. Without `environments:` and without `requested`, the workspace
 * itself. Pure: the loaded workspace is not changed.
 */
export function resolveEnvironment(ws: Workspace, requested: string | undefined): Result<Workspace> {
  const environments = ws.settings.environments;
  const selected = selectEnvironment(environments ? Object.keys(environments) : undefined, requested);
  if (selected.value === undefined) return { diagnostics: selected.diagnostics };
  if (selected.value === null) return { value: ws, diagnostics: [] };
  const env = environments![selected.value]!;
  return {
    value: {
      ...ws,
      settings: { ...ws.settings, runtime: { ...ws.settings.runtime, publish: env.publish } },
      flags: mapValues(ws.flags, (f) => overrideFlag(f, env)),
      experiments: mapValues(ws.experiments, (e) => overrideExperiment(e, env)),
      environment: env.name,
    },
    diagnostics: [],
  };
}

function overrideFlag(flag: Flag, env: Environment): Flag {
  const o = env.flags[flag.key];
  if (!o) return flag;
  return {
    ...flag,
    enabled: o.enabled ?? flag.enabled,
    rules: flag.rules.map((r) => (r.kind === "rollout" && o.steps?.[r.name] ? { ...r, steps: o.steps[r.name]! } : r)),
  };
}

function overrideExperiment(experiment: Experiment, env: Environment): Experiment {
  const o = env.experiments[experiment.key];
  if (!o) return experiment;
  return { ...experiment, status: o.status ?? experiment.status, traffic: o.traffic ?? experiment.traffic };
}

function mapValues<T>(map: Map<string, T>, f: (v: T) => T): Map<string, T> {
  return new Map([...map].map(([k, v]) => [k, f(v)]));
}
