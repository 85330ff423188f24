import type { CompareAs, Condition, Operand } from "../ruleset/types.js";
import { compareSemver, parseSemver } from "../ruleset/semver.js";

/**
 * Compiles a ruleset condition into a closure once, at load. A missing or wrongly typed attribute
 * makes the comparison that reads it false; nothing here throws on user input.
 */

export type Attributes = Readonly<Record<string, unknown>>;
export type Test = (unit: string, attrs: Attributes, at: number) => boolean;
type Value = (attrs: Attributes) => unknown;

/** What a condition may ask of the rest of the ruleset. */
export interface ConditionScope {
  segment(name: string): Test;
  /** The unit's variant in an experiment, or null when not enrolled. */
  variantOf(experiment: string, unit: string, attrs: Attributes, at: number): string | null;
}

const always: Test = () => true;
const never: Test = () => false;

export function compileCondition(c: Condition | undefined, scope: ConditionScope): Test {
  if (!c) return always;
  switch (c.op) {
    case "true":
      return always;
    case "and": {
      const parts = c.args.map((a) => compileCondition(a, scope));
      if (parts.length === 0) return always;
      if (parts.length === 1) return parts[0]!;
      if (parts.length === 2) {
        const [x, y] = parts as [Test, Test];
        return (u, a, t) => x(u, a, t) && y(u, a, t);
      }
      return (u, a, t) => {
        for (const p of parts) if (!p(u, a, t)) return false;
        return true;
      };
    }
    case "or": {
      const parts = c.args.map((a) => compileCondition(a, scope));
      if (parts.length === 0) return never;
      if (parts.length === 2) {
        const [x, y] = parts as [Test, Test];
        return (u, a, t) => x(u, a, t) || y(u, a, t);
      }
      return (u, a, t) => {
        for (const p of parts) if (p(u, a, t)) return true;
        return false;
      };
    }
    case "not": {
      const inner = compileCondition(c.arg, scope);
      return (u, a, t) => !inner(u, a, t);
    }
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      return compileComparison(c.op, c.as, c.args[0], c.args[1]);
    case "in":
      return compileIn(c.as, c.arg, c.values);
    case "between": {
      const lo = compileComparison(">=", c.as, c.args[0], c.args[1]);
      const hi = compileComparison("<=", c.as, c.args[0], c.args[2]);
      return (u, a, t) => lo(u, a, t) && hi(u, a, t);
    }
    case "contains": {
      const x = compileOperand(c.args[0]);
      const y = compileOperand(c.args[1]);
      return (_u, a) => {
        const h = x(a);
        const n = y(a);
        if (typeof h === "string") return typeof n === "string" && h.includes(n);
        if (Array.isArray(h)) return n !== undefined && n !== null && h.includes(n);
        return false;
      };
    }
    case "starts_with":
    case "ends_with": {
      const x = compileOperand(c.args[0]);
      const y = compileOperand(c.args[1]);
      const starts = c.op === "starts_with";
      return (_u, a) => {
        const s = x(a);
        const p = y(a);
        if (typeof s !== "string" || typeof p !== "string") return false;
        return starts ? s.startsWith(p) : s.endsWith(p);
      };
    }
    case "matches": {
      let re: RegExp;
      try {
        re = new RegExp(c.pattern);
      } catch {
        return never;
      }
      const x = compileOperand(c.arg);
      return (_u, a) => {
        const s = x(a);
        return typeof s === "string" && re.test(s);
      };
    }
    case "is_null": {
      const x = compileOperand(c.arg);
      return (_u, a) => {
        const v = x(a);
        return v === undefined || v === null;
      };
    }
    case "truthy": {
      const x = compileOperand(c.arg);
      return (_u, a) => x(a) === true;
    }
    case "segment": {
      // Segments are resolved lazily so that their order in the ruleset does not matter.
      let test: Test | undefined;
      const name = c.name;
      return (u, a, t) => (test ??= scope.segment(name))(u, a, t);
    }
    case "in_experiment": {
      const { experiment, variant } = c;
      if (variant === undefined) return (u, a, t) => scope.variantOf(experiment, u, a, t) !== null;
      return (u, a, t) => scope.variantOf(experiment, u, a, t) === variant;
    }
  }
}

export function compileOperand(o: Operand): Value {
  switch (o.op) {
    case "attr": {
      const name = o.name;
      // Attributes are the caller's own keys: a missing "constructor" or "toString" is missing, not
      // the function every object inherits (the other runtimes have no such inheritance).
      if (name in Object.prototype) return (a) => (Object.hasOwn(a, name) ? a[name] : undefined);
      return (a) => a[name];
    }
    case "lit": {
      const v = o.value;
      return () => v;
    }
    case "list": {
      const items = o.items.map(compileOperand);
      return (a) => items.map((i) => i(a));
    }
    case "lower": {
      const x = compileOperand(o.arg);
      return (a) => {
        const v = x(a);
        return typeof v === "string" ? v.toLowerCase() : undefined;
      };
    }
    case "len": {
      const x = compileOperand(o.arg);
      return (a) => {
        const v = x(a);
        return typeof v === "string" || Array.isArray(v) ? v.length : undefined;
      };
    }
    case "neg": {
      const x = compileOperand(o.arg);
      return (a) => {
        const v = x(a);
        return typeof v === "number" ? -v : undefined;
      };
    }
    case "+":
    case "-":
    case "*":
    case "/": {
      const x = compileOperand(o.args[0]);
      const y = compileOperand(o.args[1]);
      const op = o.op;
      return (a) => {
        const l = x(a);
        const r = y(a);
        if (typeof l !== "number" || typeof r !== "number") return undefined;
        const v = op === "+" ? l + r : op === "-" ? l - r : op === "*" ? l * r : l / r;
        return Number.isFinite(v) ? v : undefined;
      };
    }
  }
}

/** Maps a raw value to something ordered by `as`, or undefined when it has the wrong type. */
function normaliser(as: CompareAs): (v: unknown) => unknown {
  if (as === "semver") return parseSemver;
  if (as === "date")
    return (v) => {
      // ISO strings as they arrive over JSON, or Date objects from in-process callers.
      const t = typeof v === "string" ? Date.parse(v) : v instanceof Date ? v.getTime() : NaN;
      return Number.isNaN(t) ? undefined : t;
    };
  return (v) => (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) ? undefined : v);
}

function order(as: CompareAs, x: unknown, y: unknown): number | undefined {
  if (as === "semver") return compareSemver(x as never, y as never);
  if (typeof x === "number" && typeof y === "number") return x - y;
  return undefined;
}

function compileComparison(op: "==" | "!=" | "<" | "<=" | ">" | ">=", as: CompareAs, left: Operand, right: Operand): Test {
  // The hot case: an attribute against a literal, compared by value.
  if (as === "value" && left.op === "attr" && right.op === "lit" && right.value !== null) {
    const name = left.name;
    const lit = right.value;
    const kind = typeof lit;
    switch (op) {
      case "==":
        return (_u, a) => a[name] === lit;
      case "!=":
        return (_u, a) => {
          const v = a[name];
          return typeof v === kind && v !== lit;
        };
    }
    if (kind === "number") {
      const n = lit as number;
      if (op === "<")
        return (_u, a) => {
          const v = a[name];
          return typeof v === "number" && v < n;
        };
      if (op === "<=")
        return (_u, a) => {
          const v = a[name];
          return typeof v === "number" && v <= n;
        };
      if (op === ">")
        return (_u, a) => {
          const v = a[name];
          return typeof v === "number" && v > n;
        };
      return (_u, a) => {
        const v = a[name];
        return typeof v === "number" && v >= n;
      };
    }
  }
  const x = compileOperand(left);
  const y = compileOperand(right);
  const norm = normaliser(as);
  // A literal side is normalised once (a semver literal is parsed at load, not per evaluation).
  const fixed = right.op === "lit" ? norm(right.value) : undefined;
  const rightValue = right.op === "lit" ? () => fixed : (a: Attributes) => norm(y(a));
  return (_u, a) => {
    const l = norm(x(a));
    const r = rightValue(a);
    if (l === undefined || r === undefined) return false;
    if (op === "==" || op === "!=") {
      let same: boolean;
      if (as === "value") {
        if (typeof l !== typeof r) return false;
        same = l === r;
      } else same = order(as, l, r) === 0;
      return op === "==" ? same : !same;
    }
    const d = order(as, l, r);
    if (d === undefined) return false;
    return op === "<" ? d < 0 : op === "<=" ? d <= 0 : op === ">" ? d > 0 : d >= 0;
  };
}

function compileIn(as: CompareAs, arg: Operand, values: Operand[]): Test {
  if (as === "value" && values.every((v) => v.op === "lit")) {
    const set = new Set(values.map((v) => (v as { value: unknown }).value));
    if (arg.op === "attr") {
      const name = arg.name;
      return (_u, a) => set.has(a[name]);
    }
    const x = compileOperand(arg);
    return (_u, a) => {
      const v = x(a);
      return v !== undefined && v !== null && set.has(v);
    };
  }
  const tests = values.map((v) => compileComparison("==", as, arg, v));
  return (u, a, t) => tests.some((test) => test(u, a, t));
}
