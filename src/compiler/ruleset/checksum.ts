import { createHash } from "node:crypto";

/**
 * The ruleset checksum: SHA-256 (hex) of the canonical serialisation of the ruleset without its
 * `checksum` and `createdAt` fields. Canonical = JSON with object keys sorted by code unit at every
 * depth, no whitespace, arrays in order, undefined members dropped. Two compilations of the same
 * workspace therefore share a checksum whenever they would evaluate identically.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function rulesetChecksum(ruleset: Record<string, unknown>): string {
  const { checksum: _c, createdAt: _t, ...rest } = ruleset;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/**
 * The content identity of a ruleset: what evaluation sees, without version, time or commit. A plan
 * records it, so apply can tell whether the workspace still compiles to what was reviewed.
 */
export function rulesetContentChecksum(ruleset: Record<string, unknown>): string {
  const { version: _v, createdAt: _c, sourceCommit: _s, checksum: _k, ...content } = ruleset;
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}
