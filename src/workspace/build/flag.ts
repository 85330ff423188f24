import type { Flag, FlagPrerequisite, FlagRule } from "../model.js";
import { WorkspaceCodes as C } from "../codes.js";
import type { FileBuild } from "./context.js";
import { buildGuard } from "./guard.js";
import { buildOverrides, dict } from "./values.js";

type Raw = Record<string, any>;

export function buildFlag(b: FileBuild, raw: Raw): Flag | undefined {
  const variants =
    raw.variants === undefined && raw.type === "boolean"
      ? [
          { key: "on", value: true },
          { key: "off", value: false },
        ]
      : Object.entries((raw.variants ?? {}) as Record<string, unknown>).map(([key, value]) => ({ key, value }));
  const prerequisites: FlagPrerequisite[] = (raw.prerequisites ?? []).map((p: string | Raw) =>
    typeof p === "string" ? { flag: p } : { flag: p.flag, ...(p.variant !== undefined ? { variant: p.variant } : {}) },
  );
  const overrides = buildOverrides(raw.overrides);
  const rules: FlagRule[] = [];
  (raw.rules ?? []).forEach((r: Raw, i: number) => {
    const rule = buildRule(b, r, i);
    if (rule) rules.push(rule);
  });
  const flag: Flag = {
    key: raw.flag,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(raw.owner !== undefined ? { owner: raw.owner } : {}),
    type: raw.type,
    variants,
    default: raw.default,
    enabled: raw.enabled ?? true,
    prerequisites,
    overrides,
    rules,
    origin: b.origin,
  };
  return b.failed ? undefined : flag;
}

function buildRule(b: FileBuild, r: Raw, i: number): FlagRule | undefined {
  const path = `rules.${i}`;
  const name: string = r.name ?? `rule_${i + 1}`;
  const actions = ["serve", "rollout", "experiment"].filter((k) => r[k] !== undefined);
  if (actions.length !== 1) {
    const what = actions.length === 0 ? "has none" : `has ${actions.map((a) => `"${a}"`).join(" and ")}`;
    b.report(C.ruleAction, `rule "${name}" needs exactly one of "serve", "rollout" or "experiment" but ${what}`, b.span(path));
    return undefined;
  }
  if (r.map !== undefined && r.experiment === undefined)
    b.report(C.foreignField, `"map" only applies to experiment rules and is ignored in rule "${name}"`, b.keySpan(`${path}.map`));
  const when = r.when !== undefined ? b.condition(`${path}.when`, r.when) : undefined;
  if (r.when !== undefined && !when) return undefined;
  const cond = when ? { when, whenText: r.when as string } : {};
  if (r.serve !== undefined) return { kind: "serve", name, ...cond, serve: r.serve };
  if (r.rollout !== undefined) {
    const steps = (r.rollout.steps as Raw[]).map((s, k) => ({
      ...(s.at !== undefined ? { at: b.timestamp(`${path}.rollout.steps.${k}.at`, s.at) } : {}),
      percent: s.percent,
      ...(s.after_units !== undefined ? { afterUnits: s.after_units } : {}),
    }));
    const guard = buildGuard(r.rollout.guard);
    const holdout: boolean = r.rollout.holdout ?? r.holdout ?? true;
    return { kind: "rollout", name, ...cond, variant: r.rollout.variant, steps, holdout, ...(guard ? { guard } : {}) };
  }
  return { kind: "experiment", name, ...cond, experiment: r.experiment, map: r.map ?? dict() };
}
