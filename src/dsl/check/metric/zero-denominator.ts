import type { Expr } from "../../ast.js";
import { printExpr } from "../../printer.js";
import type { MetricRule } from "./rule.js";

/**
 * A ratio whose denominator is identically zero (`x / 0`, `x / (count(a) - count(a))`) can never be computed.
 * The denominator is reduced to a linear form over its aggregates; a non-linear part counts as one opaque term.
 */
export const ZeroDenominatorRule: MetricRule = {
  name: "zero-denominator",
  check(root, ctx) {
    const visit = (e: Expr): void => {
      if (e.kind === "binary") {
        if (e.op === "/" && isZero(linear(e.right))) {
          ctx.report(
            "zeroDenominator",
            `The denominator "${printExpr(e.right)}" is always zero, so the ratio is never defined`,
            e.right.span,
          );
        }
        visit(e.left);
        visit(e.right);
      } else if (e.kind === "unary") visit(e.operand);
    };
    visit(root);
  },
};

/** term key → coefficient; "" is the constant term. */
type Linear = Map<string, number>;
const EPSILON = 1e-12;

function constantOf(l: Linear): number | undefined {
  for (const [k, v] of l) if (k !== "" && Math.abs(v) > EPSILON) return undefined;
  return l.get("") ?? 0;
}

function isZero(l: Linear): boolean {
  const c = constantOf(l);
  return c !== undefined && Math.abs(c) <= EPSILON;
}

function scale(l: Linear, k: number): Linear {
  return new Map([...l].map(([n, v]) => [n, v * k]));
}

function add(a: Linear, b: Linear, sign: 1 | -1): Linear {
  const out = new Map(a);
  for (const [n, v] of b) out.set(n, (out.get(n) ?? 0) + sign * v);
  return out;
}

function opaque(e: Expr): Linear {
  return new Map([[printExpr(e), 1]]);
}

export function linear(e: Expr): Linear {
  switch (e.kind) {
    case "number":
    case "percent":
      return new Map([["", e.value]]);
    case "unary":
      return e.op === "-" ? scale(linear(e.operand), -1) : opaque(e);
    case "binary": {
      if (e.op === "+" || e.op === "-") return add(linear(e.left), linear(e.right), e.op === "+" ? 1 : -1);
      if (e.op === "*") {
        const l = linear(e.left);
        const r = linear(e.right);
        if (isZero(l) || isZero(r)) return new Map();
        const lc = constantOf(l);
        if (lc !== undefined) return scale(r, lc);
        const rc = constantOf(r);
        if (rc !== undefined) return scale(l, rc);
        return opaque(e);
      }
      if (e.op === "/") {
        const l = linear(e.left);
        const r = linear(e.right);
        const rc = constantOf(r);
        if (rc !== undefined && Math.abs(rc) > EPSILON) return scale(l, 1 / rc);
        if (isZero(l) && !isZero(r)) return new Map();
        return opaque(e);
      }
      return opaque(e);
    }
    default:
      return opaque(e);
  }
}
