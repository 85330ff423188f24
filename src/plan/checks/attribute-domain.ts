import type { AttributeType } from "../../workspace/model.js";
import type { Atom, Formula, Lit } from "./condition-nnf.js";
import { compareSemver, parseSemver } from "../../ruleset/semver.js";
import { complement, discrete, ordered, point, type Interval, type ValueSet } from "./value-set.js";

/**
 * What values an attribute can take, from exp.yaml or, for an undeclared attribute, from how the
 * conditions use it; and the value set where each atom holds.
 */

export type Domain =
  | { kind: "strings"; universe?: readonly string[] }
  | { kind: "booleans" }
  | { kind: "numbers" }
  | { kind: "versions" }
  | { kind: "dates" }
  | { kind: "opaque" };

function collectAtoms(f: Formula, out: Atom[]): Atom[] {
  if (f.k === "atom" && f.atom) out.push(f.atom);
  else if (f.k === "and" || f.k === "or") for (const p of f.parts) collectAtoms(p, out);
  return out;
}

function litsOf(a: Atom): Lit[] {
  switch (a.test) {
    case "eq":
    case "ne":
    case "cmp":
      return [a.value];
    case "in":
    case "not_in":
      return a.values;
    case "between":
      return [a.low, a.high];
    default:
      return [];
  }
}

function declaredDomain(t: AttributeType): Domain {
  if (typeof t === "object") return { kind: "strings", universe: t.enum };
  switch (t) {
    case "string":
      return { kind: "strings" };
    case "boolean":
      return { kind: "booleans" };
    case "number":
      return { kind: "numbers" };
    case "semver":
      return { kind: "versions" };
    case "date":
      return { kind: "dates" };
  }
}

/** An undeclared attribute's domain comes from how it is used; mixed use makes it opaque. */
function inferredDomain(atoms: Atom[]): Domain {
  const kinds = new Set<string>();
  for (const a of atoms) {
    if (a.test === "truthy") kinds.add("boolean");
    for (const l of litsOf(a)) kinds.add(l.kind);
    // Ordering strings has no agreed meaning, so only equality-style tests keep a string domain.
    if ((a.test === "cmp" || a.test === "between") && litsOf(a).some((l) => l.kind === "string")) return { kind: "opaque" };
  }
  if (kinds.size !== 1) return { kind: kinds.size === 0 ? "strings" : "opaque" };
  const k = [...kinds][0];
  if (k === "string") return { kind: "strings" };
  if (k === "boolean") return { kind: "booleans" };
  if (k === "number") return { kind: "numbers" };
  if (k === "semver") return { kind: "versions" };
  return { kind: "dates" };
}

export function resolveDomains(formulas: Formula[], attributes: Record<string, AttributeType>): Map<string, Domain> {
  const byAttr = new Map<string, Atom[]>();
  for (const f of formulas) for (const a of collectAtoms(f, [])) byAttr.set(a.attr, [...(byAttr.get(a.attr) ?? []), a]);
  const out = new Map<string, Domain>();
  for (const [attr, atoms] of byAttr) {
    const declared = Object.prototype.hasOwnProperty.call(attributes, attr) ? attributes[attr] : undefined;
    out.set(attr, declared !== undefined ? declaredDomain(declared) : inferredDomain(atoms));
  }
  return out;
}

// ---------------------------------------------------------------- literals to value sets

const compareNumbers = (a: number, b: number): number => a - b;

/** The key of a literal in a domain, or undefined when the literal does not belong to it. */
function keyOf(l: Lit, d: Domain): string | number | ReturnType<typeof parseSemver> | undefined {
  switch (d.kind) {
    case "strings":
      return l.kind === "string" && (!d.universe || d.universe.includes(l.value)) ? l.value : undefined;
    case "booleans":
      return l.kind === "boolean" ? String(l.value) : undefined;
    case "numbers":
      return l.kind === "number" && Number.isFinite(l.value) ? l.value : undefined;
    case "versions":
      return l.kind === "semver" || l.kind === "string" ? parseSemver(l.value) : undefined;
    case "dates": {
      if (l.kind !== "date" && l.kind !== "string") return undefined;
      const ms = Date.parse(l.value);
      return Number.isNaN(ms) ? undefined : ms;
    }
    default:
      return undefined;
  }
}

function orderedSet(d: Domain, intervals: Interval<unknown>[]): ValueSet {
  const compare =
    d.kind === "versions" ? (compareSemver as (a: unknown, b: unknown) => number) : (compareNumbers as (a: unknown, b: unknown) => number);
  return ordered(intervals, compare);
}

/**
 * The values where an atom holds, and whether its part inside the domain is exact, so that the
 * domain complement (plus `other`, where a negated comparison with a missing value holds) covers
 * where the negation holds.
 */
export function atomSet(a: Atom, d: Domain): { set: ValueSet; exact: boolean } | undefined {
  if (d.kind === "opaque") return undefined;
  const isDiscrete = d.kind === "strings" || d.kind === "booleans";
  const universe = d.kind === "strings" ? d.universe : d.kind === "booleans" ? ["true", "false"] : undefined;
  if (a.test === "null") {
    const set: ValueSet = isDiscrete ? discrete([], universe) : orderedSet(d, []);
    // "Missing" and "wrongly typed" share the `other` part, but `is null` holds only for the first.
    return { set: { ...set, other: true }, exact: false };
  }
  if (a.test === "truthy") return d.kind === "booleans" ? { set: discrete(["true"], universe), exact: true } : undefined;
  // Equality on dates depends on the precision the runtime compares at; only ordering is trusted.
  if (d.kind === "dates" && a.test !== "cmp" && a.test !== "between") return undefined;
  const keys = litsOf(a).map((l) => keyOf(l, d));
  if (keys.some((k) => k === undefined)) return undefined;
  // `x != v` and `x not in [...]` hold for the other domain values and maybe for missing ones.
  const negative = a.test === "ne" || a.test === "not_in";
  if (isDiscrete) {
    if (a.test === "cmp" || a.test === "between") return undefined;
    const set = discrete(keys as string[], universe);
    return { set: negative ? complement(set) : set, exact: true };
  }
  if (a.test === "between")
    return { set: orderedSet(d, [{ lo: { v: keys[0], incl: true }, hi: { v: keys[1], incl: true } }]), exact: true };
  if (a.test === "cmp") {
    const v = keys[0];
    const interval: Interval<unknown> =
      a.op === "<" || a.op === "<=" ? { hi: { v, incl: a.op === "<=" } } : { lo: { v, incl: a.op === ">=" } };
    return { set: orderedSet(d, [interval]), exact: true };
  }
  const set = orderedSet(
    d,
    keys.map((k) => point(k)),
  );
  return { set: negative ? complement(set) : set, exact: true };
}
