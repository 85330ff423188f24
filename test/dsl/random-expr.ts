import type { Span } from "../../src/diagnostics/diagnostic.js";
import { AGGREGATES, type BinaryExpr, type Expr, type ListExpr, type StringLit } from "../../src/dsl/index.js";
import { chainOf, foldChain, isChain } from "../../src/dsl/chain.js";
import { mulberry32 } from "../helpers/prng.js";

/** A small deterministic PRNG (mulberry32), so a failing corpus can be replayed from its seed. */
export const rng = mulberry32;

const NO_SPAN: Span = { file: "", line: 0, column: 0, endLine: 0, endColumn: 0, offset: 0, endOffset: 0 };
const NAMES = ["country", "platform", "x", "y_2", "_hidden", "order_id", "index", "nullable", "isx", "count", "between_x", "d", "m"];
const FUNCS = ["segment", "semver", "date", "lower", "len", "in_experiment", "f", "g2"];
const STRINGS = ["", "US", 'say "hi"', "back\\slash", "tab\tnew\nline", "é ünïcödé ✓", "\u0001\u001f", "#not a comment", "a, b]"];

/**
 * Random ASTs in the shape the parser produces: no negative number literals (the parser makes those a unary
 * minus), no plain calls named like aggregates with a single path argument (the parser makes those aggregates).
 */
export function randomExpr(next: () => number, depth = 4): Expr {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const int = (n: number): number => Math.floor(next() * n);
  const leaf = (): Expr => {
    switch (int(8)) {
      case 0: {
        const raw = pick(["0", "1", "12", "3.5", "3.50", "1000000", "0.001"]);
        return { kind: "number", value: Number(raw), raw, span: NO_SPAN };
      }
      case 1: {
        const raw = pick(["5", "0.5", "12.5", "100"]) + "%";
        return { kind: "percent", value: Number(raw.slice(0, -1)) / 100, raw, span: NO_SPAN };
      }
      case 2: {
        const amount = pick([1, 6, 14, 30]);
        const unit = pick(["d", "h", "m"] as const);
        return {
          kind: "duration",
          amount,
          unit,
          seconds: amount * { d: 86400, h: 3600, m: 60 }[unit],
          raw: `${amount}${unit}`,
          span: NO_SPAN,
        };
      }
      case 3:
        return str();
      case 4:
        return { kind: "boolean", value: next() < 0.5, span: NO_SPAN };
      case 5:
        return { kind: "null", span: NO_SPAN };
      default:
        return { kind: "path", segments: Array.from({ length: 1 + int(2) }, () => ({ name: pick(NAMES), span: NO_SPAN })), span: NO_SPAN };
    }
  };
  const str = (): StringLit => ({ kind: "string", value: pick(STRINGS), span: NO_SPAN });
  const list = (d: number): ListExpr => ({ kind: "list", items: Array.from({ length: int(4) }, () => randomExpr(next, d)), span: NO_SPAN });
  if (depth <= 0) return leaf();
  const d = depth - 1;
  switch (int(12)) {
    case 0:
      return leaf();
    case 1: {
      const name = pick(FUNCS);
      return { kind: "call", name, nameSpan: NO_SPAN, args: Array.from({ length: int(3) }, () => randomExpr(next, d)), span: NO_SPAN };
    }
    case 2:
      return list(d);
    case 3:
      return { kind: "unary", op: pick(["-", "not"] as const), operand: randomExpr(next, d), span: NO_SPAN };
    case 4:
    case 5:
      return binary(
        pick(["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "contains", "starts_with", "ends_with", "and", "or"] as const),
        randomExpr(next, d),
        randomExpr(next, d),
      );
    case 6:
      return { kind: "in", negated: next() < 0.5, value: randomExpr(next, d), list: list(d), span: NO_SPAN };
    case 7:
      return { kind: "matches", value: randomExpr(next, d), pattern: str(), span: NO_SPAN };
    case 8:
      return { kind: "between", value: randomExpr(next, d), low: randomExpr(next, d), high: randomExpr(next, d), span: NO_SPAN };
    case 9:
      return { kind: "is_null", negated: next() < 0.5, value: randomExpr(next, d), span: NO_SPAN };
    case 10: {
      const withProperty = next() < 0.5;
      const withWhere = next() < 0.5;
      return {
        kind: "aggregate",
        fn: pick(AGGREGATES),
        fnSpan: NO_SPAN,
        event: pick(NAMES),
        eventSpan: NO_SPAN,
        ...(withProperty ? { property: pick(NAMES), propertySpan: NO_SPAN } : {}),
        ...(withWhere ? { where: randomExpr(next, d) } : {}),
        span: NO_SPAN,
      };
    }
    default:
      return binary(pick(["and", "or"] as const), randomExpr(next, d), randomExpr(next, d));
  }
}

/** A binary node; a chain of `and`/`or` in the shape the parser gives it (balanced), so that print → parse gives back this tree. */
function binary(op: BinaryExpr["op"], left: Expr, right: Expr): Expr {
  const e: BinaryExpr = { kind: "binary", op, opSpan: NO_SPAN, left, right, span: NO_SPAN };
  if (!isChain(e)) return e;
  const chain = chainOf(e);
  return foldChain(e.op, chain.operands, chain.opSpans, () => NO_SPAN);
}
