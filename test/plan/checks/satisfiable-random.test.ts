import { test } from "node:test";
import assert from "node:assert/strict";
import { SourceFile } from "../../../src/diagnostics/source.js";
import { parseCondition, wholeFileOrigin, type Expr } from "../../../src/dsl/index.js";
import { mayOverlap, type SatisfiabilityEnv } from "../../../src/plan/checks/satisfiable.js";
import { mulberry32 } from "../../helpers/prng.js";

/**
 * Soundness against brute force: random condition pairs over a small attribute domain. Whenever
 * mayOverlap says "disjoint", no assignment of the domain may satisfy both conditions, under either
 * reading of `!=` / `not in` on a missing or wrongly typed attribute. The reference evaluator works
 * on the generator's own structure, not on the parsed AST.
 */

const MISSING = Symbol("missing");
type Value = string | number | boolean | typeof MISSING;
type Assignment = Record<string, Value>;

const VERSIONS = ["1.0.0", "1.2.0", "1.5.0", "2.0.0-beta", "2.0.0", "2.1.0"];
const DOMAIN: Record<string, Value[]> = {
  country: ["US", "CA", "MX", MISSING, 5],
  platform: ["web", "ios", "android", "tv", MISSING],
  n: [-1, 0, 1, 1.5, 2, 2.5, 3, MISSING, "x"],
  v: [...VERSIONS, MISSING, 7],
  b: [true, false, MISSING, "yes"],
  u: [0, 1, 2, MISSING],
  ie: [true, false],
};
const ENUM = ["web", "ios", "android"];

interface Cond {
  text: string;
  attrs: Set<string>;
  holds(a: Assignment, neMissing: boolean): boolean;
}

const rng = mulberry32;

function generator(rand: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const subset = <T>(xs: readonly T[]): T[] => {
    const out = xs.filter(() => rand() < 0.5);
    return out.length ? out : [pick(xs)];
  };
  const atom = (text: string, attrs: string[], holds: Cond["holds"]): Cond => ({ text, attrs: new Set(attrs), holds });
  const q = (s: string) => JSON.stringify(s);

  /** Equality-family atoms over a typed discrete attribute. */
  function discreteAtom(attr: string, lits: string[], valid: (v: Value) => v is string): Cond {
    const op = pick(["==", "!=", "in", "not in", "contains", "is null", "is not null"]);
    const L = pick(lits);
    const list = subset(lits);
    switch (op) {
      case "==":
        return atom(`${attr} == ${q(L)}`, [attr], (a) => valid(a[attr]!) && a[attr] === L);
      case "!=":
        return atom(`${attr} != ${q(L)}`, [attr], (a, ne) => (valid(a[attr]!) ? a[attr] !== L : ne));
      case "in":
        return atom(`${attr} in [${list.map(q).join(", ")}]`, [attr], (a) => valid(a[attr]!) && list.includes(a[attr] as string));
      case "not in":
        return atom(`${attr} not in [${list.map(q).join(", ")}]`, [attr], (a, ne) =>
          valid(a[attr]!) ? !list.includes(a[attr] as string) : ne,
        );
      case "contains":
        return atom(`${attr} contains "U"`, [attr], (a) => valid(a[attr]!) && (a[attr] as string).includes("U"));
      case "is null":
        return atom(`${attr} is null`, [attr], (a) => a[attr] === MISSING);
      default:
        return atom(`${attr} is not null`, [attr], (a) => a[attr] !== MISSING);
    }
  }

  /** Ordered atoms; rank maps a valid value to its position, undefined when missing or mistyped. */
  function orderedAtom(attr: string, lits: string[], rank: (v: Value) => number | undefined, litRank: (l: string) => number): Cond {
    const op = pick(["==", "!=", "<", "<=", ">", ">=", "between"]);
    const L = pick(lits);
    const r = (a: Assignment) => rank(a[attr]!);
    const cmp: Record<string, (x: number, y: number) => boolean> = {
      "==": (x, y) => x === y,
      "<": (x, y) => x < y,
      "<=": (x, y) => x <= y,
      ">": (x, y) => x > y,
      ">=": (x, y) => x >= y,
    };
    if (op === "!=") return atom(`${attr} != ${L}`, [attr], (a, ne) => (r(a) === undefined ? ne : r(a) !== litRank(L)));
    if (op === "between") {
      const [lo, hi] = [pick(lits), pick(lits)];
      return atom(`${attr} between ${lo} and ${hi}`, [attr], (a) => r(a) !== undefined && r(a)! >= litRank(lo) && r(a)! <= litRank(hi));
    }
    return atom(`${attr} ${op} ${L}`, [attr], (a) => r(a) !== undefined && cmp[op]!(r(a)!, litRank(L)));
  }

  const isString = (v: Value): v is string => typeof v === "string";
  const isPlatform = (v: Value): v is string => typeof v === "string" && ENUM.includes(v);
  const numRank = (v: Value) => (typeof v === "number" ? v : undefined);
  const verRank = (v: Value) => (typeof v === "string" && VERSIONS.includes(v) ? VERSIONS.indexOf(v) : undefined);
  const verLit = (l: string) => VERSIONS.indexOf(l.replace(/^semver\("(.*)"\)$/, "$1").replace(/^"(.*)"$/, "$1"));
  const numLits = ["-1", "0", "1", "1.5", "2", "2.5", "3"];
  const verLits = ['"1.0.0"', '"1.5.0"', '"2.0.0-beta"', '"2.0.0"', 'semver("2.0.0")', 'semver("2.1.0")'];

  function randomAtom(): Cond {
    switch (pick(["country", "platform", "n", "v", "b", "u", "ie", "segment"])) {
      case "country":
        return discreteAtom("country", ["US", "CA", "MX", "FR"], isString);
      case "platform":
        return discreteAtom("platform", ENUM, isPlatform);
      case "n":
        return orderedAtom("n", numLits, numRank, Number);
      case "v":
        return orderedAtom("v", verLits, verRank, verLit);
      case "u":
        return orderedAtom("u", ["0", "1", "2"], numRank, Number);
      case "b": {
        const form = pick(["b", "b == true", "b == false", "b != true"]);
        const isB = (v: Value) => typeof v === "boolean";
        if (form === "b" || form === "b == true") return atom(form, ["b"], (a) => a.b === true);
        if (form === "b == false") return atom(form, ["b"], (a) => a.b === false);
        return atom(form, ["b"], (a, ne) => (isB(a.b!) ? a.b !== true : ne));
      }
      case "ie":
        return atom('in_experiment("x")', ["ie"], (a) => a.ie === true);
      default:
        return pick([
          atom('segment("seg_us")', ["country", "b"], (a) => a.country === "US" || a.b === true),
          atom('segment("seg_new")', ["v"], (a) => verRank(a.v!) !== undefined && verRank(a.v!)! >= VERSIONS.indexOf("2.0.0")),
        ]);
    }
  }

  function cond(depth: number): Cond {
    if (depth === 0 || rand() < 0.3) return randomAtom();
    const r = rand();
    if (r < 0.2) return not(cond(depth - 1));
    const [x, y] = [cond(depth - 1), cond(depth - 1)];
    return r < 0.6 ? and(x, y) : or(x, y);
  }
  return { cond };
}

function not(c: Cond): Cond {
  return { text: `not (${c.text})`, attrs: c.attrs, holds: (a, ne) => !c.holds(a, ne) };
}
function and(x: Cond, y: Cond): Cond {
  return {
    text: `(${x.text} and ${y.text})`,
    attrs: new Set([...x.attrs, ...y.attrs]),
    holds: (a, ne) => x.holds(a, ne) && y.holds(a, ne),
  };
}
function or(x: Cond, y: Cond): Cond {
  return { text: `(${x.text} or ${y.text})`, attrs: new Set([...x.attrs, ...y.attrs]), holds: (a, ne) => x.holds(a, ne) || y.holds(a, ne) };
}

function* assignments(attrs: string[]): Generator<Assignment> {
  if (attrs.length === 0) {
    yield {};
    return;
  }
  const [first, ...rest] = attrs;
  for (const tail of assignments(rest)) for (const v of DOMAIN[first!]!) yield { ...tail, [first!]: v };
}

/** A witness unit satisfying both, or undefined when brute force finds none. */
function witness(x: Cond, y: Cond, neMissing: boolean): Assignment | undefined {
  for (const a of assignments([...new Set([...x.attrs, ...y.attrs])])) if (x.holds(a, neMissing) && y.holds(a, neMissing)) return a;
  return undefined;
}

function parse(text: string): Expr {
  const r = parseCondition(text, wholeFileOrigin(new SourceFile("t", text)));
  assert.deepEqual(r.diagnostics, [], text);
  return r.expr!;
}

const env: SatisfiabilityEnv = {
  attributes: { country: "string", platform: { enum: ENUM }, n: "number", v: "semver", b: "boolean" },
  segment: (name) => (name === "seg_us" ? parse('country == "US" or b') : name === "seg_new" ? parse('v >= "2.0.0"') : undefined),
};

test("mayOverlap is sound against brute force on random condition pairs", () => {
  const seed = Number(process.env.EXP_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`satisfiability fuzz seed ${seed} (EXP_FUZZ_SEED=${seed} to replay)`);
  const rand = rng(seed);
  const { cond } = generator(rand);
  let claimedDisjoint = 0;
  let trulyDisjoint = 0;
  let provedOfTrulyDisjoint = 0;
  const PAIRS = 1500;
  for (let i = 0; i < PAIRS; i++) {
    const x = cond(3);
    const shape = rand();
    // Random pairs rarely exclude each other, so a share of pairs is built to be disjoint-prone.
    const y = shape < 0.5 ? cond(3) : shape < 0.75 ? not(x) : and(not(x), cond(2));
    const disjoint = !mayOverlap(parse(x.text), parse(y.text), env);
    const w = [witness(x, y, true), witness(x, y, false)];
    if (disjoint) {
      claimedDisjoint++;
      for (const a of w)
        assert.equal(
          a,
          undefined,
          `claimed disjoint but both hold for ${JSON.stringify(a, (_k, v) => (v === MISSING ? "<missing>" : v))}:\n  ${x.text}\n  ${y.text}\n(seed ${seed})`,
        );
    }
    if (w.every((a) => a === undefined)) {
      trulyDisjoint++;
      if (disjoint) provedOfTrulyDisjoint++;
    }
  }
  const recall = provedOfTrulyDisjoint / trulyDisjoint;
  console.log(
    `pairs ${PAIRS}, claimed disjoint ${claimedDisjoint}, truly disjoint ${trulyDisjoint}, proved ${(recall * 100).toFixed(1)}% of those`,
  );
  // The soundness assertions above must have had real work to do.
  assert.ok(claimedDisjoint >= 300, `only ${claimedDisjoint} pairs were claimed disjoint`);
  assert.ok(recall >= 0.8, `proved only ${(recall * 100).toFixed(1)}% of the truly disjoint pairs`);
});
