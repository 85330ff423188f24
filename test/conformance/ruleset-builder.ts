import { rulesetChecksum } from "../../src/ruleset/checksum.js";
import type { Condition, Operand, Ruleset, RulesetExperiment, RulesetFlag } from "../../src/ruleset/types.js";

/**
 * Hand-built rulesets for the conformance cases: plain JSON, so that a case can use every construct
 * of the schema (including ones the language never compiles to), with a real checksum.
 */
export const attr = (name: string): Operand => ({ op: "attr", name });
export const lit = (value: string | number | boolean | null): Operand => ({ op: "lit", value });
export const cmp = (
  op: "==" | "!=" | "<" | "<=" | ">" | ">=",
  left: Operand,
  right: Operand,
  as: "value" | "semver" | "date" = "value",
): Condition => ({
  op,
  as,
  args: [left, right],
});

export function ruleset(
  parts: Partial<Pick<Ruleset, "segments" | "holdouts" | "layers" | "experiments" | "flags" | "attributes">>,
): Ruleset {
  const body: Omit<Ruleset, "checksum"> = {
    schemaVersion: 1,
    hashVersion: 1,
    version: 1,
    createdAt: "2026-12-01T00:00:00.000Z",
    sourceCommit: null,
    attributes: parts.attributes ?? {},
    segments: parts.segments ?? {},
    holdouts: parts.holdouts ?? {},
    layers: parts.layers ?? {},
    experiments: parts.experiments ?? {},
    flags: parts.flags ?? {},
  };
  return { ...body, checksum: rulesetChecksum(body) };
}

export function experiment(over: Partial<RulesetExperiment> = {}): RulesetExperiment {
  return {
    status: "running",
    phase: 1,
    unit: "user",
    schedule: {},
    holdout: true,
    traffic: 10000,
    variants: [
      { key: "control", weight: 5000, config: { layout: "classic" } },
      { key: "treatment", weight: 5000, config: { layout: "new" } },
    ],
    ...over,
  };
}

export function flag(over: Partial<RulesetFlag> = {}): RulesetFlag {
  return {
    type: "boolean",
    enabled: true,
    variants: { on: true, off: false },
    default: "off",
    prerequisites: [],
    overrides: {},
    rules: [],
    ...over,
  };
}

/** A boolean flag that is on exactly when the condition holds: how the cases test one condition. */
export const conditionFlag = (when: Condition): RulesetFlag => flag({ rules: [{ kind: "serve", name: "when", when, variant: "on" }] });
