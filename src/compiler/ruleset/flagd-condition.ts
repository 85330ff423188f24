import type { Condition, Operand, Ruleset } from "../../ruleset/types.js";

/**
 * Ruleset conditions → flagd JSON Logic. Each translation must evaluate exactly as the runtime does,
 * including for missing attributes (the runtime's comparisons are false; JSON Logic would coerce
 * null to 0), so ordering comparisons carry a not-null guard. What has no faithful equivalent
 * is reported through `unsupported` and translated to `false`.
 */
export type Logic = unknown;

export interface LogicScope {
  ruleset: Ruleset;
  unsupported(what: string): void;
  /** JSON Logic yielding the unit's variant of an experiment, or null. */
  assignment(experiment: string): Logic;
}

const SEMVER_OPS: Record<string, string> = { "==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const FLIP: Record<string, string> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function attrAndLiteral(args: [Operand, Operand], op: string): { v: Logic; lit: string | number | boolean; op: string } | undefined {
  const [a, b] = args;
  if (a.op === "attr" && b.op === "lit" && b.value !== null) return { v: { var: a.name }, lit: b.value, op };
  if (b.op === "attr" && a.op === "lit" && a.value !== null) return { v: { var: b.name }, lit: a.value, op: FLIP[op]! };
  return undefined;
}

const notNull = (v: Logic): Logic => ({ "!=": [v, null] });

export function toLogic(c: Condition | undefined, scope: LogicScope, seen: string[] = []): Logic {
  if (!c) return true;
  const no = (what: string): Logic => {
    scope.unsupported(what);
    return false;
  };
  switch (c.op) {
    case "true":
      return true;
    case "and":
    case "or":
      return c.args.length === 0 ? c.op === "and" : { [c.op]: c.args.map((a) => toLogic(a, scope, seen)) };
    case "not":
      return { "!": toLogic(c.arg, scope, seen) };
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const p = attrAndLiteral(c.args, c.op);
      if (!p) return no(`comparison "${c.op}" between two computed values`);
      if (c.as === "date") return no("date comparison");
      if (c.as === "semver") return { sem_ver: [p.v, SEMVER_OPS[p.op], String(p.lit)] };
      if (p.op === "==") return { "===": [p.v, p.lit] };
      if (p.op === "!=") return { and: [notNull(p.v), { "!==": [p.v, p.lit] }] };
      if (typeof p.lit !== "number") return no(`"${p.op}" on a non-number`);
      return { and: [notNull(p.v), { [p.op]: [p.v, p.lit] }] };
    }
    case "in": {
      if (c.as !== "value") return no(`"in" with ${c.as} values`);
      if (c.arg.op !== "attr" || !c.values.every((v) => v.op === "lit" && v.value !== null)) return no(`"in" over computed values`);
      return { in: [{ var: c.arg.name }, c.values.map((v) => (v as { value: unknown }).value)] };
    }
    case "contains": {
      const [a, b] = c.args;
      if (a.op !== "attr" || b.op !== "lit" || typeof b.value !== "string") return no(`"contains" other than attribute contains "text"`);
      return { and: [notNull({ var: a.name }), { in: [b.value, { var: a.name }] }] };
    }
    case "starts_with":
    case "ends_with": {
      const [a, b] = c.args;
      if (a.op !== "attr" || b.op !== "lit" || typeof b.value !== "string") return no(`"${c.op}" other than attribute ${c.op} "text"`);
      return { [c.op]: [{ var: a.name }, b.value] };
    }
    case "between": {
      const [x, lo, hi] = c.args;
      if (
        c.as !== "value" ||
        x.op !== "attr" ||
        lo.op !== "lit" ||
        hi.op !== "lit" ||
        typeof lo.value !== "number" ||
        typeof hi.value !== "number"
      )
        return no(`"between" other than a number attribute between number literals`);
      return { and: [notNull({ var: x.name }), { "<=": [lo.value, { var: x.name }, hi.value] }] };
    }
    case "is_null":
      if (c.arg.op !== "attr") return no(`"is null" on a computed value`);
      return { "==": [{ var: c.arg.name }, null] };
    case "truthy":
      if (c.arg.op !== "attr") return no("a computed value used as a condition");
      return { "===": [{ var: c.arg.name }, true] };
    case "matches":
      return no(`"matches" (flagd has no regular expressions)`);
    case "segment": {
      const s = scope.ruleset.segments[c.name];
      if (!s || seen.includes(c.name)) return false;
      return toLogic(s, scope, [...seen, c.name]);
    }
    case "in_experiment": {
      const a = scope.assignment(c.experiment);
      return c.variant === undefined ? { "!=": [a, null] } : { "===": [a, c.variant] };
    }
  }
}
