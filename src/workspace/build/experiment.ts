import { DEFAULT_DECISION, DEFAULT_MIN_SLICE_UNITS, type Experiment, type Settings, type Variant } from "../model.js";
import { WorkspaceCodes as C } from "../codes.js";
import type { FileBuild } from "./context.js";
import { buildDecisionRules } from "./settings.js";
import { buildGuard } from "./guard.js";
import { buildOverrides } from "./values.js";

type Raw = Record<string, any>;

/** Fields that belong to one experiment type; elsewhere they are ignored with a warning. */
const TYPE_FIELDS: Record<string, string> = {
  factors: "multivariate",
  bandit: "bandit",
  rankers: "interleaving",
  method: "interleaving",
  click_event: "interleaving",
  item_property: "interleaving",
};

export function buildExperiment(b: FileBuild, raw: Raw, settings: Settings): Experiment | undefined {
  const type = raw.type ?? "ab";
  for (const [field, owner] of Object.entries(TYPE_FIELDS)) {
    if (raw[field] !== undefined && type !== owner) {
      b.report(
        C.foreignField,
        `"${field}" applies to ${owner} experiments and is ignored for type "${type}"; remove it or set type: ${owner}`,
        b.keySpan(field),
      );
    }
  }
  const variants = buildVariants(b, raw, type);
  const targeting = raw.targeting !== undefined ? b.condition("targeting", raw.targeting) : undefined;
  const schedule: Experiment["schedule"] = {};
  if (raw.schedule?.start !== undefined) schedule.start = b.timestamp("schedule.start", raw.schedule.start);
  if (raw.schedule?.end !== undefined) schedule.end = b.timestamp("schedule.end", raw.schedule.end);
  const a: Raw = raw.analysis ?? {};
  const d = settings.defaults;
  const p: Raw = raw.power ?? {};
  const exp: Experiment = {
    key: raw.experiment,
    ...pick(raw, ["name", "owner", "hypothesis", "description"]),
    type,
    status: raw.status,
    phase: raw.phase ?? 1,
    unit: raw.unit ?? settings.units[0]!,
    ...(raw.identity !== undefined ? { identity: raw.identity } : {}),
    ...(raw.layer !== undefined ? { layer: raw.layer } : {}),
    traffic: raw.traffic !== undefined ? b.share("traffic", raw.traffic) : 1,
    ...(targeting ? { targeting, targetingText: raw.targeting } : {}),
    exposure: raw.exposure ?? "on_assignment",
    schedule,
    variants,
    control: raw.control ?? variants[0]?.key ?? "",
    ...(raw.overrides !== undefined ? { overrides: buildOverrides(raw.overrides) } : {}),
    ...(type === "multivariate" ? { factors: raw.factors } : {}),
    ...(type === "bandit" && raw.bandit
      ? {
          bandit: {
            algorithm: raw.bandit.algorithm ?? "thompson",
            metric: raw.bandit.metric,
            min_share: raw.bandit.min_share !== undefined ? b.share("bandit.min_share", raw.bandit.min_share) : 0.01,
            epoch: raw.bandit.epoch ?? 1,
            ...(raw.bandit.algorithm === "epsilon_greedy"
              ? { epsilon: raw.bandit.epsilon !== undefined ? b.share("bandit.epsilon", raw.bandit.epsilon) : 0.1 }
              : {}),
          },
        }
      : {}),
    ...(type === "interleaving"
      ? {
          rankers: raw.rankers,
          interleaving_method: raw.method ?? "team_draft",
          ...(raw.click_event !== undefined ? { interleaving_clicks: { event: raw.click_event, item_property: raw.item_property } } : {}),
        }
      : {}),
    holdout: raw.holdout ?? true,
    amendments: (raw.amendments ?? []).map((m: Raw) => ({ reason: m.reason, ...(m.date !== undefined ? { date: String(m.date) } : {}) })),
    metrics: { primary: raw.metrics.primary, secondary: raw.metrics.secondary ?? [], guardrails: raw.metrics.guardrails ?? [] },
    ...(raw.guard !== undefined ? { guard: buildGuard(raw.guard)! } : {}),
    analysis: {
      method: a.method ?? d.method,
      alpha: a.alpha ?? d.alpha,
      correction: a.correction ?? d.correction,
      cuped: a.cuped ?? d.cuped,
      ...pick(a, ["tuning_n", "looks", "spending", "prior_variance"]),
      ...(a.identity_window !== undefined ? { identity_window: b.duration("analysis.identity_window", a.identity_window) } : {}),
      ...pick(a, ["dimensions", "min_slice_units"]),
    },
    ...(raw.fairness !== undefined
      ? {
          fairness: {
            attribute: raw.fairness.attribute,
            metrics: raw.fairness.metrics,
            max_disparity: b.share("fairness.max_disparity", raw.fairness.max_disparity),
            min_group_units: raw.fairness.min_group_units ?? DEFAULT_MIN_SLICE_UNITS,
            labels: raw.fairness.labels ?? {},
          },
        }
      : {}),
    power: {
      ...(p.mde !== undefined ? { mde: b.share("power.mde", p.mde) } : {}),
      ...(p.daily_units !== undefined ? { daily_units: p.daily_units } : {}),
      power: p.power ?? d.power,
      ...pick(p, ["baseline", "stddev"]),
    },
    decision: buildDecisionRules(b, "decision", raw.decision, d.decision ?? DEFAULT_DECISION),
    origin: b.origin,
  };
  return b.failed ? undefined : exp;
}

function buildVariants(b: FileBuild, raw: Raw, type: string): Variant[] {
  if (type === "multivariate") {
    if (raw.variants !== undefined)
      b.report(
        C.foreignField,
        `multivariate experiments get their variants from "factors"; the "variants" mapping is ignored`,
        b.keySpan("variants"),
      );
    return factorial(raw.factors ?? {}).map((key) => ({ key, weight: 1 }));
  }
  if (type === "interleaving" && raw.variants === undefined) return (raw.rankers ?? []).map((key: string) => ({ key, weight: 1 }));
  const entries = Object.entries((raw.variants ?? {}) as Record<string, Raw | null>);
  const weighted = entries.filter(([, v]) => v?.weight !== undefined).length;
  if (weighted > 0 && weighted < entries.length) {
    const missing = entries.find(([, v]) => v?.weight === undefined)![0];
    b.report(
      C.partialWeights,
      `variant "${missing}" has no weight while others do; give every variant a weight, or none for equal weights`,
      b.keySpan(`variants.${missing}`),
    );
  }
  return entries.map(([key, v]) => {
    const variant: Variant = { key, weight: v?.weight ?? 1 };
    if (v?.description !== undefined) variant.description = v.description;
    if (v?.config !== undefined) variant.config = v.config;
    if (v?.url !== undefined) variant.url = v.url;
    if (type === "split_url" && v?.url === undefined)
      b.report(C.typeFields, `split_url variant "${key}" needs a "url"`, b.keySpan(`variants.${key}`));
    return variant;
  });
}

/** Full factorial in factor order: {color: [red, blue], size: [s, l]} → red_s, red_l, blue_s, blue_l. */
export function factorial(factors: Record<string, string[]>): string[] {
  let names = [""];
  for (const values of Object.values(factors)) names = names.flatMap((n) => values.map((v) => (n === "" ? v : `${n}_${v}`)));
  return names.filter((n) => n !== "");
}

function pick(raw: Raw, keys: string[]): Raw {
  const out: Raw = {};
  for (const k of keys) if (raw[k] !== undefined) out[k] = raw[k];
  return out;
}
