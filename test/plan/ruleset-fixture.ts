import type { RulesetVerifier } from "../../src/plan/target/target.js";
import { rulesetChecksum } from "../../src/ruleset/checksum.js";
import type { Ruleset, RulesetFlag } from "../../src/ruleset/types.js";

/**
 * A small ruleset for state tests. `salt` changes the content without changing the version;
 * `padding` adds bulk so that a write takes long enough for a SIGKILL to land inside it.
 */
export function makeRuleset(version: number, options: { sourceCommit?: string; padding?: number; salt?: string } = {}): Ruleset {
  const flag = (enabled: boolean, variants: Record<string, unknown>, defaultVariant: string): RulesetFlag => ({
    type: typeof variants[defaultVariant] === "boolean" ? "boolean" : "string",
    enabled,
    variants,
    default: defaultVariant,
    prerequisites: [],
    overrides: {},
    rules: [],
  });
  const body: Omit<Ruleset, "checksum"> = {
    schemaVersion: 1,
    hashVersion: 1,
    version,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString(),
    sourceCommit: options.sourceCommit ?? `c0ffee${String(version).padStart(4, "0")}`,
    attributes: { country: "string" },
    segments: {},
    holdouts: {},
    layers: {},
    experiments: {},
    flags: {
      new_search: flag(version % 2 === 0, { on: true, off: false }, "off"),
      banner: flag(true, { text: `${options.salt ?? "s"}${"x".repeat(options.padding ?? 0)}` }, "text"),
    },
  };
  return { ...body, checksum: rulesetChecksum(body) };
}

/**
 * A stand-in for the real verifier (schema, checksum, references) that checks only what the state
 * layer relies on, so a damaged or half-written file fails and the messages stay short.
 */
export const verifyFixture: RulesetVerifier = (ruleset) => {
  const r = ruleset as Partial<Ruleset> | null;
  if (!r || typeof r !== "object" || typeof r.checksum !== "string") return { ok: false, message: "no checksum" };
  if (r.schemaVersion !== 1) return { ok: false, message: `unknown schemaVersion ${String(r.schemaVersion)}` };
  return rulesetChecksum(r as Ruleset) === r.checksum ? { ok: true } : { ok: false, message: "checksum mismatch" };
};

/** The smallest ruleset the real verifier accepts, for command-line tests. */
export function makeCompiledRuleset(version: number): Ruleset {
  const body: Omit<Ruleset, "checksum"> = {
    schemaVersion: 1,
    hashVersion: 1,
    version,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString(),
    sourceCommit: `c0ffee${String(version).padStart(4, "0")}`,
    attributes: { country: "string" },
    segments: {},
    holdouts: version === 2 ? { global: { traffic: 500 } } : {},
    layers: {},
    experiments: {},
    flags: {},
  };
  return { ...body, checksum: rulesetChecksum(body) };
}
