import type { IToken, TokenType } from "chevrotain";
import type { Expr } from "./ast.js";
import * as T from "./tokens.js";

/**
 * How deeply an expression may nest (docs/language.md "Limits"). Two measures, because two things recurse:
 * the parser, once per parenthesis, bracket, call and prefix operator (checked on the tokens, before
 * parsing), and every visitor of the tree, once per level of the syntax tree (checked on the tree). A
 * chain of `and`/`or` is balanced (chain.ts) and stays shallow at any length; a chain of arithmetic
 * operators is one level per operator. The compiled ruleset condition of a tree of MAX_EXPR_HEIGHT fits
 * well within the ruleset's own depth limit (src/ruleset/verify.ts).
 */
export const MAX_EXPR_NESTING = 64;
export const MAX_EXPR_HEIGHT = 100;

const ENDS_OPERAND = new Set<TokenType>([
  T.NumberTok,
  T.Percent,
  T.Duration,
  T.StringTok,
  T.True,
  T.False,
  T.Null,
  T.Identifier,
  T.RParen,
  T.RBracket,
]);

/** The first token that opens a level past MAX_EXPR_NESTING: an opening parenthesis or bracket, `not`, or a unary minus. */
export function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  const outer: number[] = [];
  let base = 0;
  // Prefix operators in a row (`not not x`, `- - x`): each nests what follows until the operand ends.
  let prefixes = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === T.LParen || type === T.LBracket) {
      const level = base + prefixes + 1;
      if (level > MAX_EXPR_NESTING) return t;
      outer.push(base);
      base = level;
      prefixes = 0;
    } else if (type === T.RParen || type === T.RBracket) {
      base = outer.pop() ?? 0;
      prefixes = 0;
    } else if (isPrefix(tokens, i)) {
      prefixes++;
      if (base + prefixes > MAX_EXPR_NESTING) return t;
    } else prefixes = 0;
  }
  return undefined;
}

function isPrefix(tokens: readonly IToken[], i: number): boolean {
  const type = tokens[i]!.tokenType;
  const before = tokens[i - 1]?.tokenType;
  // `x not in [...]` and `x is not null` are infix.
  if (type === T.Not) return tokens[i + 1]?.tokenType !== T.In && before !== T.Is;
  return type === T.Minus && (before === undefined || !ENDS_OPERAND.has(before));
}

/** The first node, in source order, that sits deeper than MAX_EXPR_HEIGHT levels in the tree. */
export function firstTooTall(root: Expr): Expr | undefined {
  const stack: { e: Expr; depth: number }[] = [{ e: root, depth: 1 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.depth > MAX_EXPR_HEIGHT) return top.e;
    const kids = children(top.e);
    for (let k = kids.length - 1; k >= 0; k--) stack.push({ e: kids[k]!, depth: top.depth + 1 });
  }
  return undefined;
}

/** The sub-expressions of a node, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "call":
      return e.args;
    case "list":
      return e.items;
    case "unary":
      return [e.operand];
    case "binary":
      return [e.left, e.right];
    case "in":
      return [e.value, e.list];
    case "matches":
    case "is_null":
      return [e.value];
    case "between":
      return [e.value, e.low, e.high];
    case "aggregate":
      return e.where ? [e.where] : [];
    default:
      return [];
  }
}
