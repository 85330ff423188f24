import { diagnostic, type Diagnostic, type Produced } from "../../diagnostics/diagnostic.js";
import type { AttributeType, Experiment, Flag, Guard, Workspace } from "../../workspace/model.js";
import { BASIS_POINTS, HASH_VERSION, weightsToBasisPoints } from "../../ruleset/hash.js";
import {
  RULESET_SCHEMA_VERSION,
  rolloutGuardKey,
  type AttributeKind,
  type Condition,
  type Ruleset,
  type RulesetExperiment,
  type RulesetFlag,
  type RulesetGuard,
  type RulesetLayer,
  type RulesetRule,
} from "../../ruleset/types.js";
import { lowerCondition } from "./condition.js";
import { registrationOf } from "./registration.js";
import { allocateSlots } from "./slots.js";
import { rulesetChecksum } from "../../ruleset/checksum.js";
import { RULESET_CODES } from "./codes.js";

export interface CompileOptions {
  /** The currently published ruleset: layer allocations are kept from it, and version defaults to its + 1. */
  previous?: Ruleset;
  version?: number;
  createdAt?: string;
  sourceCommit?: string | null;
}

/** Experiments that hold layer slots: paused ones keep theirs so that resuming moves nobody. */
const HOLDS_SLOTS = new Set(["running", "paused"]);

const toBasisPoints = (share: number): number => Math.max(0, Math.min(BASIS_POINTS, Math.round(share * BASIS_POINTS)));

function attributeKind(t: AttributeType): AttributeKind {
  return typeof t === "string" ? t : "enum";
}

/** Workspace (+ the published ruleset) → the runtime ruleset JSON. Pure: no I/O, no clock unless createdAt is omitted. */
export function compileRuleset(ws: Workspace, options: CompileOptions = {}): Produced<Ruleset> {
  const diagnostics: Diagnostic[] = [];
  const attrs = ws.settings.attributes;
  const when = (e: Experiment["targeting"]): Condition | undefined => (e ? lowerCondition(e, attrs, diagnostics) : undefined);

  const segments: Record<string, Condition> = {};
  for (const [key, s] of sorted(ws.segments)) segments[key] = lowerCondition(s.when, attrs, diagnostics);

  const holdouts: Record<string, { traffic: number }> = {};
  for (const [key, h] of sorted(ws.holdouts)) holdouts[key] = { traffic: toBasisPoints(h.traffic) };

  const experiments: Record<string, RulesetExperiment> = {};
  for (const [key, e] of sorted(ws.experiments)) experiments[key] = compileExperiment(e, when, ws);

  const layers: Record<string, RulesetLayer> = {};
  for (const [key, layer] of sorted(ws.layers)) {
    const members = [...ws.experiments.values()].filter((e) => e.layer === key && HOLDS_SLOTS.has(e.status));
    const { slots, shortfalls } = allocateSlots(
      members.map((e) => ({ experiment: e.key, width: toBasisPoints(e.traffic) })),
      options.previous?.layers[key]?.slots,
    );
    for (const s of shortfalls) {
      const e = ws.experiments.get(s.experiment)!;
      diagnostics.push(
        diagnostic(
          RULESET_CODES.layerOverCapacity,
          `Layer "${key}" has no room for ${s.missing / 100}% more of experiment "${s.experiment}"; lower its traffic or stop another experiment in the layer.`,
          { span: e.origin.values["traffic"] ?? e.origin.values[""] ?? layer.origin.values[""] },
        ),
      );
    }
    layers[key] = { slots };
  }

  const flags: Record<string, RulesetFlag> = {};
  for (const [key, f] of sorted(ws.flags)) flags[key] = compileFlag(f, when);

  const version = options.version ?? (options.previous ? options.previous.version + 1 : 1);
  const body = {
    schemaVersion: RULESET_SCHEMA_VERSION,
    hashVersion: HASH_VERSION,
    version,
    createdAt: options.createdAt ?? new Date().toISOString(),
    sourceCommit: options.sourceCommit ?? null,
    checksum: "",
    attributes: Object.fromEntries(
      Object.entries(attrs)
        .sort(([a], [b]) => cmp(a, b))
        .map(([k, t]) => [k, attributeKind(t)]),
    ),
    segments,
    holdouts,
    layers,
    experiments,
    flags,
  } satisfies Ruleset;
  // Round-trip through JSON so the artefact holds plain JSON only (no undefined members).
  const ruleset = JSON.parse(JSON.stringify(body)) as Ruleset;
  ruleset.checksum = rulesetChecksum(ruleset);
  return { value: ruleset, diagnostics };
}

function compileExperiment(e: Experiment, when: (x: Experiment["targeting"]) => Condition | undefined, ws: Workspace): RulesetExperiment {
  const bp = weightsToBasisPoints(e.variants.map((v) => v.weight));
  return {
    status: e.status,
    phase: e.phase,
    unit: e.unit,
    schedule: { start: e.schedule.start, end: e.schedule.end },
    holdout: e.holdout,
    // Absent means on_assignment: rulesets of unchanged workspaces keep their checksums.
    exposure: e.exposure === "on_view" ? "on_view" : undefined,
    // Absent without overrides, for the same reason.
    overrides: e.overrides && Object.keys(e.overrides).length > 0 ? unitOverrides(e.overrides) : undefined,
    targeting: when(e.targeting),
    layer: e.layer,
    traffic: toBasisPoints(e.traffic),
    // url stays absent unless the variant has one, so rulesets of other designs keep their checksums.
    variants: e.variants.map((v, i) => ({ key: v.key, weight: bp[i]!, config: v.config, url: v.url })),
    registration: registrationOf(e, ws.metrics),
    guard: e.guard ? rulesetGuard(e.key, e.guard) : undefined,
    interleaving:
      e.type === "interleaving" ? { method: e.interleaving_method ?? "team_draft", rankers: [e.rankers![0]!, e.rankers![1]!] } : undefined,
  };
}

function compileFlag(f: Flag, when: (x: Experiment["targeting"]) => Condition | undefined): RulesetFlag {
  const overrides = unitOverrides(f.overrides);
  const rules: RulesetRule[] = f.rules.map((r) => {
    switch (r.kind) {
      case "serve":
        return { kind: "serve", name: r.name, when: when(r.when), variant: r.serve };
      case "rollout":
        return {
          kind: "rollout",
          name: r.name,
          when: when(r.when),
          variant: r.variant,
          holdout: r.holdout,
          // Gated steps (no `at`) follow the dated ones in their listed order (a stable sort).
          steps: [...r.steps]
            .sort((a, b) => stepStart(a.at) - stepStart(b.at))
            .map((s) => ({
              ...(s.at !== undefined ? { at: s.at } : {}),
              traffic: toBasisPoints(s.percent / 100),
              ...(s.afterUnits !== undefined ? { afterUnits: s.afterUnits } : {}),
            })),
          guard: r.guard ? rulesetGuard(rolloutGuardKey(f.key, r.name), r.guard) : undefined,
        };
      case "experiment":
        return { kind: "experiment", name: r.name, when: when(r.when), experiment: r.experiment, map: r.map };
    }
  });
  return {
    type: f.type,
    enabled: f.enabled,
    variants: Object.fromEntries(f.variants.map((v) => [v.key, v.value])),
    default: f.default,
    prerequisites: f.prerequisites.map((p) => (p.variant === undefined ? { flag: p.flag } : { flag: p.flag, variant: p.variant })),
    overrides,
    rules,
  };
}

/** variant → unit ids, as written, into unit id → variant; a unit listed twice keeps its first variant (the loader reports it). */
function unitOverrides(byVariant: Record<string, string[]>): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [variant, units] of Object.entries(byVariant)) for (const u of units) overrides[u] ??= variant;
  return overrides;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
function sorted<V>(m: Map<string, V>): [string, V][] {
  return [...m.entries()].sort(([a], [b]) => cmp(a, b));
}

function rulesetGuard(key: string, g: Guard): RulesetGuard {
  return { key, metrics: [...g.metrics], action: g.action, minUnits: g.min_units };
}

/** A step's start for ordering: a gated step, not yet taken, sorts last. */
const stepStart = (at: string | undefined) => (at === undefined ? Infinity : Date.parse(at));
