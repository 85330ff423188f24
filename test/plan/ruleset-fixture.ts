import { createHash } from "node:crypto";
import { canonicalJson } from "../../src/plan/audit.js";
import type { RulesetDocument, RulesetVerifier } from "../../src/plan/target/target.js";
import { rulesetChecksum } from "../../src/compiler/ruleset/checksum.js";

/**
 * A stand-in ruleset for state tests: the compiler's real shape does not matter here, only that the
 * checksum covers the content so a damaged or half-written file fails verification.
 */
export function makeRuleset(version: number, options: { sourceCommit?: string; padding?: number; salt?: string } = {}): RulesetDocument {
  const body = {
    schemaVersion: 1,
    version,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString(),
    sourceCommit: options.sourceCommit ?? `c0ffee${String(version).padStart(4, "0")}`,
    flags: { new_search: { enabled: version % 2 === 0, salt: options.salt ?? "s" } },
    // Bulk so that a write takes long enough for a SIGKILL to land inside it.
    padding: "x".repeat(options.padding ?? 0),
  };
  return { ...body, checksum: fixtureChecksum(body) };
}

export function fixtureChecksum(body: object): string {
  const { checksum: _c, ...rest } = body as Record<string, unknown>;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

export const verifyFixture: RulesetVerifier = (ruleset) => {
  const r = ruleset as Partial<RulesetDocument> | null;
  if (!r || typeof r !== "object" || typeof r.checksum !== "string") return { ok: false, message: "no checksum" };
  if (r.schemaVersion !== 1) return { ok: false, message: `unknown schemaVersion ${String(r.schemaVersion)}` };
  return fixtureChecksum(r) === r.checksum ? { ok: true } : { ok: false, message: "checksum mismatch" };
};

/** The smallest ruleset the real compiler's verifier accepts, for command-line tests. */
export function makeCompiledRuleset(version: number): RulesetDocument {
  const body = {
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
