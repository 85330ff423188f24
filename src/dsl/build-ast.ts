import type { CstElement, CstNode, IToken } from "chevrotain";
import { diagnostic, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import { AGGREGATES, type AggregateFn, type BinaryExpr, type Expr, type ListExpr, type LogicalOp, type StringLit } from "./ast.js";
import { chainOf, foldChain, isChain } from "./chain.js";
import { DSL_CODES } from "./codes.js";
import { joinSpans, type SpanMapper } from "./origin.js";

const AGGREGATE_SET = new Set<string>(AGGREGATES);
const DURATION_SECONDS = { d: 86400, h: 3600, m: 60 } as const;

/** Turns an error-free CST into the typed AST. Meaning that the grammar leaves open (string escapes, aggregate shape) is settled here. */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly spans: SpanMapper) {}

  private get file() {
    return this.spans.origin.file;
  }

  private tokenSpan(t: IToken): Span {
    return this.spans.span(t.startOffset, (t.endOffset ?? t.startOffset) + 1);
  }

  private join(a: Span, b: Span): Span {
    return joinSpans(a, b, this.file);
  }

  build(node: CstNode): Expr {
    switch (node.name) {
      case "condition":
        return this.build(child(node, "orExpr"));
      case "metric":
        return this.build(child(node, "additive"));
      case "orExpr":
      case "andExpr":
      case "additive":
      case "term":
        return this.foldBinary(node);
      case "notExpr":
        return this.not(node);
      case "comparison":
        return this.comparison(node);
      case "unary":
        return this.unary(node);
      case "primary":
        return this.primary(node);
      case "parenthesized":
        return this.build(child(node, "orExpr"));
      case "path":
        return this.path(node);
      case "call":
        return this.call(node);
      case "list":
        return this.list(node);
      default:
        throw new Error(`no AST for CST rule ${node.name}`);
    }
  }

  private foldBinary(node: CstNode): Expr {
    const operands = nodes(node, "operands").map((n) => this.build(n));
    const ops = tokens(node, "ops");
    if (node.name === "orExpr" || node.name === "andExpr") return this.chain(node.name === "orExpr" ? "or" : "and", operands, ops);
    let left = operands[0]!;
    for (let i = 0; i < ops.length; i++) {
      const right = operands[i + 1]!;
      const op = ops[i]!;
      left = {
        kind: "binary",
        op: op.image as BinaryExpr["op"],
        opSpan: this.tokenSpan(op),
        left,
        right,
        span: this.join(left.span, right.span),
      };
    }
    return left;
  }

  /** An and/or chain as a balanced tree (chain.ts); a parenthesized chain of the same operator joins it, as associativity allows. */
  private chain(op: LogicalOp, operands: Expr[], ops: IToken[]): Expr {
    if (operands.length === 1) return operands[0]!;
    const flat: Expr[] = [];
    const opSpans: Span[] = [];
    operands.forEach((operand, i) => {
      if (i > 0) opSpans.push(this.tokenSpan(ops[i - 1]!));
      if (!isChain(operand, op)) return flat.push(operand);
      const inner = chainOf(operand);
      flat.push(...inner.operands);
      opSpans.push(...inner.opSpans);
    });
    return foldChain(op, flat, opSpans, (a, b) => this.join(a, b));
  }

  private not(node: CstNode): Expr {
    const notTok = tokens(node, "Not")[0];
    if (!notTok) return this.build(child(node, "comparison"));
    const operand = this.build(child(node, "notExpr"));
    return { kind: "unary", op: "not", operand, span: this.join(this.tokenSpan(notTok), operand.span) };
  }

  private unary(node: CstNode): Expr {
    const minus = tokens(node, "Minus")[0];
    if (!minus) return this.build(child(node, "primary"));
    const operand = this.build(child(node, "unary"));
    return { kind: "unary", op: "-", operand, span: this.join(this.tokenSpan(minus), operand.span) };
  }

  private comparison(node: CstNode): Expr {
    const left = this.build(child(node, "left"));
    const op = tokens(node, "op")[0];
    if (op) {
      const right = this.build(child(node, "right"));
      return {
        kind: "binary",
        op: op.image as BinaryExpr["op"],
        opSpan: this.tokenSpan(op),
        left,
        right,
        span: this.join(left.span, right.span),
      };
    }
    if (tokens(node, "In")[0]) {
      const list = this.list(child(node, "list"));
      return { kind: "in", negated: tokens(node, "inNot").length > 0, value: left, list, span: this.join(left.span, list.span) };
    }
    const pattern = tokens(node, "pattern")[0];
    if (pattern) {
      const lit = this.string(pattern);
      return { kind: "matches", value: left, pattern: lit, span: this.join(left.span, lit.span) };
    }
    if (tokens(node, "Between")[0]) {
      const low = this.build(child(node, "low"));
      const high = this.build(child(node, "high"));
      return { kind: "between", value: left, low, high, span: this.join(left.span, high.span) };
    }
    const nullTok = tokens(node, "Null")[0];
    if (nullTok) {
      return {
        kind: "is_null",
        negated: tokens(node, "isNot").length > 0,
        value: left,
        span: this.join(left.span, this.tokenSpan(nullTok)),
      };
    }
    return left;
  }

  private primary(node: CstNode): Expr {
    for (const [key, elems] of Object.entries(node.children)) {
      const el = elems[0]!;
      if (isNode(el)) return this.build(el);
      const span = this.tokenSpan(el);
      switch (key) {
        case "Number":
          return { kind: "number", value: Number(el.image), raw: el.image, span };
        case "Percent":
          return { kind: "percent", value: Number(el.image.slice(0, -1)) / 100, raw: el.image, span };
        case "Duration": {
          const unit = el.image.slice(-1) as "d" | "h" | "m";
          const amount = Number(el.image.slice(0, -1));
          return { kind: "duration", amount, unit, seconds: amount * DURATION_SECONDS[unit], raw: el.image, span };
        }
        case "String":
          return this.string(el);
        case "True":
          return { kind: "boolean", value: true, span };
        case "False":
          return { kind: "boolean", value: false, span };
        case "Null":
          return { kind: "null", span };
      }
    }
    throw new Error("empty primary");
  }

  private string(t: IToken): StringLit {
    const span = this.tokenSpan(t);
    let value = "";
    try {
      // JSON forbids raw control characters; a tab typed inside quotes is still plainly meant as a tab.
      value = JSON.parse(t.image.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)) as string;
    } catch {
      const bad = /\\(?:u(?![0-9a-fA-F]{4})|[^"\\/bfnrtu])/.exec(t.image);
      const at = bad ? t.startOffset + bad.index : t.startOffset;
      this.diagnostics.push(
        diagnostic(
          DSL_CODES.invalidEscape,
          bad ? `Invalid escape "${bad[0]}" in a string; use JSON escapes such as \\" \\\\ \\n \\u00e9` : "Invalid string literal",
          { span: bad ? this.spans.span(at, at + bad[0].length) : span },
        ),
      );
    }
    return { kind: "string", value, span };
  }

  private path(node: CstNode): Expr {
    const names = tokens(node, "names");
    const segments = names.map((n) => ({ name: n.image, span: this.tokenSpan(n) }));
    return { kind: "path", segments, span: this.join(segments[0]!.span, segments[segments.length - 1]!.span) };
  }

  private list(node: CstNode): ListExpr {
    const items = nodes(node, "items").map((n) => this.build(n));
    const open = tokens(node, "LBracket")[0]!;
    const close = tokens(node, "RBracket")[0]!;
    return { kind: "list", items, span: this.join(this.tokenSpan(open), this.tokenSpan(close)) };
  }

  private call(node: CstNode): Expr {
    const nameTok = tokens(node, "name")[0]!;
    const close = tokens(node, "RParen")[0]!;
    const nameSpan = this.tokenSpan(nameTok);
    const span = this.join(nameSpan, this.tokenSpan(close));
    const args = nodes(node, "args").map((a) => ({
      value: this.build(child(a, "value")),
      where: tokens(a, "Where")[0],
      filter: a.children.filter ? this.build(child(a, "filter")) : undefined,
    }));
    const first = args[0];
    if (AGGREGATE_SET.has(nameTok.image) && args.length === 1 && first && first.value.kind === "path" && first.value.segments.length <= 2) {
      const [event, property] = first.value.segments;
      return {
        kind: "aggregate",
        fn: nameTok.image as AggregateFn,
        fnSpan: nameSpan,
        event: event!.name,
        eventSpan: event!.span,
        ...(property ? { property: property.name, propertySpan: property.span } : {}),
        ...(first.filter ? { where: first.filter } : {}),
        span,
      };
    }
    for (const a of args) {
      if (!a.where) continue;
      const message = AGGREGATE_SET.has(nameTok.image)
        ? `"${nameTok.image}" takes one event or event.property before "where", as in ${nameTok.image}(purchase.revenue where currency == "USD")`
        : `"where" is only allowed inside an aggregate such as count(event where ...), not in "${nameTok.image}(...)"`;
      this.diagnostics.push(diagnostic(DSL_CODES.misplacedWhere, message, { span: this.tokenSpan(a.where) }));
    }
    return { kind: "call", name: nameTok.image, nameSpan, args: args.map((a) => a.value), span };
  }
}

function isNode(el: CstElement): el is CstNode {
  return (el as CstNode).children !== undefined;
}

function child(node: CstNode, key: string): CstNode {
  const el = node.children[key]?.[0];
  if (!el || !isNode(el)) throw new Error(`CST rule ${node.name} has no ${key}`);
  return el;
}

function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter(isNode);
}

function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter((el): el is IToken => !isNode(el));
}
