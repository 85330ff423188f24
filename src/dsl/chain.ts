import type { Span } from "../diagnostics/diagnostic.js";
import type { BinaryExpr, Expr, LogicalOp } from "./ast.js";

/**
 * Chains of `and` / `or`. Both are associative, so the parser gives a chain of any length the same
 * meaning as a balanced tree: `a or b or c or d` is `(a or b) or (c or d)`, and a 10,000-term chain is
 * 14 levels deep instead of 10,000. Every visitor that recurses on the tree stays shallow, and those
 * that want the n-ary view (the printer, the compilers) take it from `chainOf`, without recursion.
 */

export function isChain(e: Expr, op?: LogicalOp): e is BinaryExpr & { op: LogicalOp } {
  return e.kind === "binary" && (e.op === "and" || e.op === "or") && (op === undefined || e.op === op);
}

/** The operands of the chain rooted at `e`, left to right, and the spans of the operators between them (any tree shape). */
export function chainOf(e: BinaryExpr & { op: LogicalOp }): { operands: Expr[]; opSpans: Span[] } {
  const operands: Expr[] = [];
  const opSpans: Span[] = [];
  const pending: BinaryExpr[] = [];
  let at: Expr | undefined = e;
  // In-order walk over the nodes of the same operator, with an explicit stack.
  for (;;) {
    while (at && isChain(at, e.op)) {
      pending.push(at);
      at = at.left;
    }
    if (at) operands.push(at);
    const node = pending.pop();
    if (!node) return { operands, opSpans };
    opSpans.push(node.opSpan);
    at = node.right;
  }
}

/**
 * The balanced tree of a chain: neighbours are paired level by level, so a chain of 2 or 3 operands has
 * the shape a left fold gives. `opSpans[i]` is the operator between operands i and i+1; `span` joins two spans.
 */
export function foldChain(op: LogicalOp, operands: Expr[], opSpans: Span[], span: (a: Span, b: Span) => Span): Expr {
  let level = operands.map((expr, i) => ({ expr, last: i }));
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1]!;
      const expr: BinaryExpr = {
        kind: "binary",
        op,
        opSpan: opSpans[left.last]!,
        left: left.expr,
        right: right.expr,
        span: span(left.expr.span, right.expr.span),
      };
      next.push({ expr, last: right.last });
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!.expr;
}
