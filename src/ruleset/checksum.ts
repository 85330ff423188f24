import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";
import type { Ruleset } from "./types.js";

/** A ruleset before or after its checksum is filled in. */
type ChecksumInput = Omit<Ruleset, "checksum"> & { checksum?: string };

/**
 * The ruleset checksum: SHA-256 (hex) of the canonical JSON of the ruleset without its `checksum`
 * and `createdAt` fields. Two compilations of the same workspace therefore share a checksum
 * whenever they would evaluate identically.
 */
export function rulesetChecksum(ruleset: ChecksumInput): string {
  const { checksum: _c, createdAt: _t, ...rest } = ruleset;
  return sha256Hex(canonicalJson(rest));
}

/**
 * The content identity of a ruleset: what evaluation sees, without version, time or commit. A plan
 * records it, so apply can tell whether the workspace still compiles to what was reviewed.
 */
export function rulesetContentChecksum(ruleset: ChecksumInput): string {
  const { version: _v, createdAt: _c, sourceCommit: _s, checksum: _k, ...content } = ruleset;
  return sha256Hex(canonicalJson(content));
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
