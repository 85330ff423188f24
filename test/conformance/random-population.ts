import type { Ruleset } from "../../src/ruleset/types.js";

/**
 * Random units for the cross-runtime check: ids of every kind (ASCII, Latin, CJK, emoji, combining
 * marks, right-to-left, lone surrogates, empty, the ids that have overrides), attributes of right
 * and wrong types for every attribute the workspace declares, and instants around every schedule
 * boundary and rollout step of the ruleset.
 */
export interface RandomUnit {
  unit: string;
  attributes: Record<string, unknown>;
  at: number;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./@:|+ ";
const NON_ASCII = [
  "é",
  "ß",
  "ö",
  "Ω",
  "ж",
  "ユ",
  "ー",
  "ザ",
  "用",
  "户",
  "🙂",
  "🙃",
  "👩‍👩‍👧",
  "e\u0301",
  "ש",
  "ل",
  "\u200b",
  "\ufeff",
  "\u2028",
  "İ",
  "\ud800",
  "\udfff",
  "𝔘",
];

function unitId(r: () => number, i: number, overrides: string[]): string {
  const k = r();
  if (k < 0.002) return "";
  if (k < 0.01) return pick(r, overrides);
  if (k < 0.35) return `user_${i}`;
  let s = "";
  const n = 1 + Math.floor(r() * 20);
  const nonAscii = k < 0.7;
  for (let j = 0; j < n; j++) s += nonAscii && r() < 0.5 ? pick(r, NON_ASCII) : ASCII[Math.floor(r() * ASCII.length)];
  return s;
}

const BY_KIND: Record<string, readonly unknown[]> = {
  string: ["US", "US", "CA", "GB", "DE", "XX", "us", "", "Ünïted", "🙂", 1, null],
  number: [0, 1, 29, 30, 31, 364, 365, 366, 1000, 30.5, -1, "30", true, null],
  boolean: [true, false, false, "true", 1, null],
  date: ["2026-01-15", "2026-11-20T00:00:00Z", "2026-12-01T00:00:00.000+01:00", "2026", "not a date", 20261201, null],
  semver: ["1.9.9", "2.0.0", "2.0.0-beta.1", "5.2.0", "5.2.0-beta.1", "5.10.1", "v5.3.0", "6.0.0", "5.2", "V5.2.0", "05.2.0", 5, null],
};
const ENUM_EXTRA = ["Web", "", 1, null];

function attributeValue(r: () => number, kind: string, enumValues: readonly string[]): unknown {
  if (r() < 0.03) return [pick(r, BY_KIND.string!)];
  if (kind === "enum") return r() < 0.85 ? pick(r, enumValues) : pick(r, ENUM_EXTRA);
  return pick(r, BY_KIND[kind] ?? BY_KIND.string!);
}

/** Every instant at which some decision of the ruleset changes, with its neighbours. */
export function boundaries(ruleset: Ruleset): number[] {
  const times = new Set<number>();
  const add = (iso: string | undefined) => {
    if (iso === undefined) return;
    const t = Date.parse(iso);
    for (const d of [-1, 0, 1]) times.add(t + d);
  };
  for (const e of Object.values(ruleset.experiments)) {
    add(e.schedule.start);
    add(e.schedule.end);
  }
  for (const f of Object.values(ruleset.flags))
    for (const rule of f.rules) if (rule.kind === "rollout") for (const s of rule.steps) add(s.at);
  return [...times].sort((a, b) => a - b);
}

export function randomPopulation(r: () => number, count: number, ruleset: Ruleset, enums: Record<string, readonly string[]>): RandomUnit[] {
  const overrides = [...new Set(Object.values(ruleset.flags).flatMap((f) => Object.keys(f.overrides)))];
  const times = boundaries(ruleset);
  const lo = times[0]! - 30 * 86_400_000;
  const hi = times[times.length - 1]! + 30 * 86_400_000;
  const attributes = Object.entries(ruleset.attributes);
  const out: RandomUnit[] = [];
  for (let i = 0; i < count; i++) {
    const a: Record<string, unknown> = {};
    for (const [name, kind] of attributes) if (r() < 0.85) a[name] = attributeValue(r, kind, enums[name] ?? []);
    const at = r() < 0.5 ? pick(r, times) : Math.floor(lo + r() * (hi - lo));
    out.push({ unit: unitId(r, i, overrides), attributes: a, at });
  }
  return out;
}
