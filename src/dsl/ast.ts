import type { Span } from "../diagnostics/diagnostic.js";

/**
 * The typed AST of the expression language (docs/language.md). Every node carries its span in the
 * workspace file it came from. Parentheses are not nodes: the printer re-inserts them by precedence,
 * so parse → print → parse yields the same tree (spans aside).
 */
export type Expr =
  | NumberLit
  | PercentLit
  | DurationLit
  | StringLit
  | BooleanLit
  | NullLit
  | PathExpr
  | CallExpr
  | ListExpr
  | UnaryExpr
  | BinaryExpr
  | InExpr
  | MatchesExpr
  | BetweenExpr
  | IsNullExpr
  | AggregateExpr;

interface Node {
  span: Span;
}

export interface NumberLit extends Node {
  kind: "number";
  value: number;
  /** The source spelling, e.g. "3.50", kept for faithful printing. */
  raw: string;
}
/** `5%`: value is the fraction (0.05); raw is "5%". */
export interface PercentLit extends Node {
  kind: "percent";
  value: number;
  raw: string;
}
/** `14d`, `6h`, `30m`: seconds holds the length in seconds. */
export interface DurationLit extends Node {
  kind: "duration";
  amount: number;
  unit: "d" | "h" | "m";
  seconds: number;
  raw: string;
}
export interface StringLit extends Node {
  kind: "string";
  value: string;
}
export interface BooleanLit extends Node {
  kind: "boolean";
  value: boolean;
}
export interface NullLit extends Node {
  kind: "null";
}
/** `country`, `purchase.revenue`; each segment has its own span. */
export interface PathExpr extends Node {
  kind: "path";
  segments: { name: string; span: Span }[];
}
export interface CallExpr extends Node {
  kind: "call";
  name: string;
  nameSpan: Span;
  args: Expr[];
}
export interface ListExpr extends Node {
  kind: "list";
  items: Expr[];
}
export interface UnaryExpr extends Node {
  kind: "unary";
  op: "-" | "not";
  operand: Expr;
}
export type ArithmeticOp = "+" | "-" | "*" | "/";
export type ComparisonOp = "==" | "!=" | "<" | "<=" | ">" | ">=";
export type StringOp = "contains" | "starts_with" | "ends_with";
export type LogicalOp = "and" | "or";
export interface BinaryExpr extends Node {
  kind: "binary";
  op: ArithmeticOp | ComparisonOp | StringOp | LogicalOp;
  opSpan: Span;
  left: Expr;
  right: Expr;
}
/** `x in [..]` / `x not in [..]` */
export interface InExpr extends Node {
  kind: "in";
  negated: boolean;
  value: Expr;
  list: ListExpr;
}
/** `x matches "regex"` */
export interface MatchesExpr extends Node {
  kind: "matches";
  value: Expr;
  pattern: StringLit;
}
/** `x between lo and hi` (inclusive on both ends) */
export interface BetweenExpr extends Node {
  kind: "between";
  value: Expr;
  low: Expr;
  high: Expr;
}
/** `x is null` / `x is not null` */
export interface IsNullExpr extends Node {
  kind: "is_null";
  negated: boolean;
  value: Expr;
}

export const AGGREGATES = ["count", "sum", "mean", "min", "max", "count_distinct", "any", "p50", "p90", "p95", "p99"] as const;
export type AggregateFn = (typeof AGGREGATES)[number];

/** `sum(purchase.revenue where currency == "USD")` (metric expressions only). */
export interface AggregateExpr extends Node {
  kind: "aggregate";
  fn: AggregateFn;
  fnSpan: Span;
  event: string;
  eventSpan: Span;
  property?: string;
  propertySpan?: Span;
  where?: Expr;
}
