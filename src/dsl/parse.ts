import { EOF, type IRecognitionException, type IToken } from "chevrotain";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Expr } from "./ast.js";
import { AstBuilder } from "./build-ast.js";
import { DSL_CODES } from "./codes.js";
import { firstTooDeep, firstTooTall, MAX_EXPR_HEIGHT, MAX_EXPR_NESTING } from "./depth.js";
import { exprGrammar } from "./grammar.js";
import { SpanMapper, type ExprOrigin } from "./origin.js";
import { exprLexer, SingleQuotedString, StringTok, UnterminatedString } from "./tokens.js";

export interface ParseResult {
  expr?: Expr;
  diagnostics: Diagnostic[];
}

/** Parses a condition (targeting, segment `when`, event filter). */
export function parseCondition(text: string, origin: ExprOrigin): ParseResult {
  return parse(text, origin, "condition");
}

/** Parses a metric expression: arithmetic over aggregates. */
export function parseMetricExpr(text: string, origin: ExprOrigin): ParseResult {
  return parse(text, origin, "metric");
}

/** An origin for an expression that is the whole of its file (tests, command-line arguments). */
export function wholeFileOrigin(file: ExprOrigin["file"]): ExprOrigin {
  return { file, toFileOffset: (i) => i };
}

function parse(text: string, origin: ExprOrigin, entry: "condition" | "metric"): ParseResult {
  const spans = new SpanMapper(origin, text.length);
  const lexed = lex(text, spans);
  const diagnostics = lexed.diagnostics;
  if (lexed.tokens.length === 0 && diagnostics.length === 0) {
    diagnostics.push(diagnostic(DSL_CODES.emptyExpression, "Expected an expression but found end of input", { span: spans.end() }));
    return { diagnostics };
  }

  // The parser recurses once per level: past the limit it is not run at all.
  const deep = firstTooDeep(lexed.tokens);
  if (deep) {
    const message = `This expression nests more than ${MAX_EXPR_NESTING} levels deep (parentheses, brackets, calls, "not" and unary minus); simplify it, for example by naming a part as a segment`;
    diagnostics.push(diagnostic(DSL_CODES.tooDeep, message, { span: spans.span(deep.startOffset, deep.endOffset! + 1) }));
    return { diagnostics: inSourceOrder(diagnostics) };
  }

  exprGrammar.input = lexed.tokens;
  const cst = entry === "condition" ? exprGrammar.condition() : exprGrammar.metric();
  if (exprGrammar.errors.length > 0) diagnostics.push(...syntaxDiagnostics(exprGrammar.errors, lexed.tokens, lexed.noiseFrom, text, spans));
  if (diagnostics.length > 0) return { diagnostics: inSourceOrder(diagnostics) };

  const builder = new AstBuilder(spans);
  const expr = builder.build(cst);
  if (builder.diagnostics.length > 0) return { diagnostics: builder.diagnostics };
  // Every later stage walks the tree recursively; a tree past the limit never leaves the parser.
  const tall = firstTooTall(expr);
  if (tall) {
    const message = `This expression is more than ${MAX_EXPR_HEIGHT} levels deep (a long chain of arithmetic operators?); simplify it or split it`;
    return { diagnostics: [diagnostic(DSL_CODES.tooDeep, message, { span: tall.kind === "binary" ? tall.opSpan : tall.span })] };
  }
  return { expr, diagnostics: [] };
}

interface Lexed {
  tokens: IToken[];
  diagnostics: Diagnostic[];
  /** Text offset from which parser errors are echoes of a lexical problem. */
  noiseFrom: number;
}

function lex(text: string, spans: SpanMapper): Lexed {
  const diagnostics: Diagnostic[] = [];
  const lexed = exprLexer.tokenize(text);
  let noiseFrom = Infinity;
  for (const e of lexed.errors) {
    // Past a bad character the token stream has a hole.
    noiseFrom = Math.min(noiseFrom, e.offset);
    const chars = text.slice(e.offset, e.offset + e.length);
    diagnostics.push(
      diagnostic(DSL_CODES.unexpectedCharacter, `Unexpected character ${JSON.stringify(chars.charAt(0))}`, {
        span: spans.span(e.offset, e.offset + e.length),
        suggestion: suggestFor(chars),
      }),
    );
  }
  // Unterminated and single-quoted strings are reported once and then parsed as strings, so they cause no second error.
  const tokens = lexed.tokens.map((t) => {
    if (t.tokenType === UnterminatedString) {
      // The string swallowed the rest of its line, so what the parser says past it is noise.
      noiseFrom = Math.min(noiseFrom, t.startOffset + 1);
      diagnostics.push(
        diagnostic(DSL_CODES.unterminatedString, "Unterminated string; add the closing double quote", {
          span: spans.span(t.startOffset, t.endOffset! + 1),
        }),
      );
    } else if (t.tokenType === SingleQuotedString) {
      const closed = t.image.length >= 2 && t.image.endsWith("'");
      if (!closed) noiseFrom = Math.min(noiseFrom, t.startOffset + 1);
      diagnostics.push(
        diagnostic(
          DSL_CODES.singleQuotedString,
          closed
            ? `Strings use double quotes: write ${JSON.stringify(t.image.slice(1, -1))}`
            : `Unexpected character "'"; strings use double quotes`,
          { span: closed ? spans.span(t.startOffset, t.endOffset! + 1) : spans.span(t.startOffset, t.startOffset + 1) },
        ),
      );
    } else return t;
    return {
      ...t,
      image: JSON.stringify(t.image.slice(1).replace(/['"]$/, "")),
      tokenType: StringTok,
      tokenTypeIdx: StringTok.tokenTypeIdx!,
    };
  });
  return { tokens, diagnostics, noiseFrom };
}

/**
 * Parser errors as diagnostics, without the echoes that error recovery produces: the same spot reported twice,
 * a failure on the token right after the previous one, anything after an end-of-input error, and anything past
 * a lexical problem.
 */
function syntaxDiagnostics(
  errors: IRecognitionException[],
  tokens: IToken[],
  noiseFrom: number,
  text: string,
  spans: SpanMapper,
): Diagnostic[] {
  const tokenIndex = new Map(tokens.map((t, i) => [t.startOffset, i]));
  const indexOf = (e: IRecognitionException): number =>
    isEnd(e.token) ? tokens.length : (tokenIndex.get(e.token.startOffset) ?? tokens.length);
  const out: Diagnostic[] = [];
  let lastIndex = -1;
  for (const e of [...errors].sort((a, b) => indexOf(a) - indexOf(b))) {
    const at = indexOf(e);
    const atEnd = isEnd(e.token);
    if ((atEnd ? text.length : e.token.startOffset) >= noiseFrom) continue;
    if (lastIndex >= 0 && (at <= lastIndex + 1 || lastIndex === tokens.length)) continue;
    lastIndex = at;
    out.push(
      diagnostic(DSL_CODES.syntax, e.message, { span: atEnd ? spans.end() : spans.span(e.token.startOffset, e.token.endOffset! + 1) }),
    );
  }
  return out;
}

function inSourceOrder(diags: Diagnostic[]): Diagnostic[] {
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.offset ?? 0) - (b.d.span?.offset ?? 0) || a.i - b.i)
    .map((x) => x.d);
}

function isEnd(t: IToken): boolean {
  return t.tokenType === EOF || !Number.isFinite(t.startOffset);
}

/** Operators from other languages, and what this one spells them as. */
const SPELLINGS: [RegExp, string][] = [
  [/^&&?/, 'use "and"'],
  [/^\|\|?/, 'use "or"'],
  [/^!/, 'use "not", or "!=" to compare'],
  [/^=/, 'use "==" to compare'],
];

function suggestFor(chars: string): string | undefined {
  for (const [re, hint] of SPELLINGS) if (re.test(chars)) return hint;
  return undefined;
}
