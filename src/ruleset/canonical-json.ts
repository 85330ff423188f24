/**
 * Canonical JSON: object keys sorted by UTF-16 code unit at every depth, no whitespace, arrays in
 * order, undefined object members dropped and undefined array items written as null. The same value
 * always gives the same text, whatever order its keys were written in, so hashes of it (ruleset
 * checksums, audit records, analysis provenance) are stable. Changing a single byte of its output
 * breaks every checksum already published: test/ruleset/published-compat.test.ts pins it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(obj[key])}`);
  }
  return `{${parts.join(",")}}`;
}
