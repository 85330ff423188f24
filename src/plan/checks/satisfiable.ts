import type { Expr } from "../../dsl/index.js";
import type { AttributeType } from "../../workspace/model.js";
import { atomSet, resolveDomains, type Domain } from "./attribute-domain.js";
import { toNnf, TRUE, type Formula } from "./condition-nnf.js";
import { complement, intersect, isEmpty, MAX_INTERVALS, size, type ValueSet } from "./value-set.js";

/**
 * A conservative satisfiability test over targeting conditions: it answers "these two conditions
 * can never hold for the same unit" only when that is proved, and "may overlap" otherwise.
 *
 * The condition is put in negation normal form, then in disjunctive normal form (with a cap on the
 * number of terms; past it the answer is "may overlap"). Each literal about one attribute becomes a
 * set of values that over-approximates where it holds; a term is unsatisfiable when the sets for
 * one attribute have an empty intersection, or when it asserts and denies the same condition.
 * Literals the test does not understand (functions, matches, contains, in_experiment, arithmetic)
 * constrain no attribute: they only take part in that last rule.
 *
 * Semantics assumed (the runtime's): a comparison, `in`, `between` or bare boolean test with a
 * missing or wrongly typed attribute is false; `not` is the complement; a bare boolean attribute
 * holds when it is true; semver-typed attributes and semver("…") compare as versions.
 */
export interface SatisfiabilityEnv {
  /** The condition of a named segment, for inlining `segment("name")`. */
  segment(name: string): Expr | undefined;
  /** Declared attribute types (exp.yaml); undeclared attributes take their domain from the literals. */
  attributes?: Record<string, AttributeType>;
}

/** Past this many DNF terms the test gives up and answers "may overlap". */
export const MAX_TERMS = 256;

/** false only when no unit can satisfy both conditions; an absent condition holds for everyone. */
export function mayOverlap(a: Expr | undefined, b: Expr | undefined, env: SatisfiabilityEnv): boolean {
  return mayHoldTogether([a, b], env);
}

/** false only when no unit can satisfy the condition. */
export function maySatisfy(e: Expr | undefined, env: SatisfiabilityEnv): boolean {
  return mayHoldTogether([e], env);
}

/** false only when no unit can satisfy every condition at once. */
export function mayHoldTogether(conditions: (Expr | undefined)[], env: SatisfiabilityEnv): boolean {
  const formulas = conditions.map((c) => (c ? toNnf(c, false, env.segment) : TRUE));
  const domains = resolveDomains(formulas, env.attributes ?? {});
  let terms: Term[] = [new Map()];
  for (const f of formulas) {
    const fTerms = dnf(f, domains);
    if (fTerms === undefined) return true;
    const next: Term[] = [];
    for (const t of terms) {
      for (const u of fTerms) {
        const joined = conjoin(t, u);
        if (joined) next.push(joined);
        if (next.length > MAX_TERMS) return true;
      }
    }
    terms = next;
    if (terms.length === 0) return false;
  }
  return terms.length > 0;
}

// ---------------------------------------------------------------- disjunctive normal form

/**
 * A conjunction: per attribute ("@" + name) the values it may take, and per atom key the truth
 * value the term asserts for it.
 */
type Term = Map<string, ValueSet | boolean>;

/** Conjunction of two terms, or undefined when it is a contradiction. */
function conjoin(a: Term, b: Term): Term | undefined {
  const out = new Map(a);
  for (const [attr, set] of b) {
    const prev = out.get(attr);
    if (typeof set === "boolean" || typeof prev === "boolean") {
      if (prev !== undefined && prev !== set) return undefined;
      out.set(attr, set);
      continue;
    }
    const next = prev ? intersect(prev, set) : set;
    if (isEmpty(next)) return undefined;
    // A set too fragmented to track is dropped, which only widens the term.
    if (size(next) > MAX_INTERVALS) out.delete(attr);
    else out.set(attr, next);
  }
  return out;
}

/** The satisfiable terms of a formula, or undefined past the cap. */
function dnf(f: Formula, domains: Map<string, Domain>): Term[] | undefined {
  switch (f.k) {
    case "const":
      return f.value ? [new Map()] : [];
    case "atom": {
      const sign: Term = new Map([[f.key, !f.negated]]);
      const r = f.atom && atomSet(f.atom, domains.get(f.atom.attr) ?? { kind: "opaque" });
      if (!f.atom || !r || (f.negated && !r.exact)) return [sign];
      const set = f.negated ? { ...complement(r.set), other: true } : r.set;
      return isEmpty(set) ? [] : [sign.set(`@${f.atom.attr}`, set)];
    }
    case "or": {
      const out: Term[] = [];
      for (const p of f.parts) {
        const t = dnf(p, domains);
        if (t === undefined) return undefined;
        out.push(...t);
        if (out.length > MAX_TERMS) return undefined;
      }
      return out;
    }
    case "and": {
      let acc: Term[] = [new Map()];
      for (const p of f.parts) {
        const t = dnf(p, domains);
        if (t === undefined) return undefined;
        const next: Term[] = [];
        for (const x of acc) {
          for (const y of t) {
            const joined = conjoin(x, y);
            if (joined) next.push(joined);
            if (next.length > MAX_TERMS) return undefined;
          }
        }
        acc = next;
        if (acc.length === 0) break;
      }
      return acc;
    }
  }
}
