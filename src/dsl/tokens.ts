import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * Tokens of the expression language. Labels are what parser messages show, so they read as prose
 * ("a name", "\")\"") rather than token-type names.
 */
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: Lexer.SKIPPED });

// Durations and percents must be tried before plain numbers; the lookahead keeps `5min` from lexing as `5m` `in`.
export const Duration = createToken({ name: "Duration", pattern: /\d+(?:\.\d+)?[dhm](?![A-Za-z0-9_])/, label: "a duration" });
export const Percent = createToken({ name: "Percent", pattern: /\d+(?:\.\d+)?%/, label: "a percentage" });
export const NumberTok = createToken({ name: "Number", pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, label: "a number" });
export const StringTok = createToken({ name: "String", pattern: /"(?:[^"\\\n]|\\.)*"/, label: "a string" });
/** An opening quote with no closing one on the same line: lexed so we can name the problem precisely. */
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\n]|\\.)*(?:\\)?/, label: "a string" });

/** Single quotes are a common slip; lexed so the message can say so. */
export const SingleQuotedString = createToken({ name: "SingleQuotedString", pattern: /'[^'\n]*'?/, label: "a string" });

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

function keyword(word: string): TokenType {
  return createToken({
    name: word.charAt(0).toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `"${word}"`,
  });
}

export const And = keyword("and");
export const Or = keyword("or");
export const Not = keyword("not");
export const In = keyword("in");
export const Contains = keyword("contains");
export const StartsWith = keyword("starts_with");
export const EndsWith = keyword("ends_with");
export const Matches = keyword("matches");
export const Between = keyword("between");
export const Is = keyword("is");
export const Null = keyword("null");
export const True = keyword("true");
export const False = keyword("false");
export const Where = keyword("where");

export const KEYWORDS = [
  "and",
  "or",
  "not",
  "in",
  "contains",
  "starts_with",
  "ends_with",
  "matches",
  "between",
  "is",
  "null",
  "true",
  "false",
  "where",
] as const;

export const EqEq = createToken({ name: "EqEq", pattern: /==/, label: '"=="' });
export const NotEq = createToken({ name: "NotEq", pattern: /!=/, label: '"!="' });
export const LessEq = createToken({ name: "LessEq", pattern: /<=/, label: '"<="' });
export const GreaterEq = createToken({ name: "GreaterEq", pattern: />=/, label: '">="' });
export const Less = createToken({ name: "Less", pattern: /</, label: '"<"' });
export const Greater = createToken({ name: "Greater", pattern: />/, label: '">"' });
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: '"+"' });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: '"-"' });
export const Star = createToken({ name: "Star", pattern: /\*/, label: '"*"' });
export const Slash = createToken({ name: "Slash", pattern: /\//, label: '"/"' });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: '"("' });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: '")"' });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: '"["' });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: '"]"' });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: '","' });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: '"."' });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  Duration,
  Percent,
  NumberTok,
  StringTok,
  UnterminatedString,
  SingleQuotedString,
  And,
  Or,
  Not,
  In,
  Contains,
  StartsWith,
  EndsWith,
  Matches,
  Between,
  Is,
  Null,
  True,
  False,
  Where,
  Identifier,
  EqEq,
  NotEq,
  LessEq,
  GreaterEq,
  Less,
  Greater,
  Plus,
  Minus,
  Star,
  Slash,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
];

export const exprLexer = new Lexer(ALL_TOKENS, { positionTracking: "full", ensureOptimizations: false });
