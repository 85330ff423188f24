import { CstParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";

/**
 * The pure grammar of docs/language.md: it builds a CST only; build-ast.ts gives it meaning.
 * Two entry points: `condition` (targeting, segments, event filters) and `metric` (arithmetic over aggregates).
 */
export class ExprGrammar extends CstParser {
  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  condition = this.RULE("condition", () => {
    this.SUBRULE(this.orExpr);
  });

  metric = this.RULE("metric", () => {
    this.SUBRULE(this.additive);
  });

  orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(T.Or, { LABEL: "ops" });
      this.SUBRULE2(this.andExpr, { LABEL: "operands" });
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(T.And, { LABEL: "ops" });
      this.SUBRULE2(this.notExpr, { LABEL: "operands" });
    });
  });

  notExpr = this.RULE("notExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.additive, { LABEL: "left" });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.EqEq, { LABEL: "op" }) },
              { ALT: () => this.CONSUME(T.NotEq, { LABEL: "op" }) },
              { ALT: () => this.CONSUME(T.LessEq, { LABEL: "op" }) },
              { ALT: () => this.CONSUME(T.GreaterEq, { LABEL: "op" }) },
              { ALT: () => this.CONSUME(T.Less, { LABEL: "op" }) },
              { ALT: () => this.CONSUME(T.Greater, { LABEL: "op" }) },
              { ALT: () => this.CONSUME(T.Contains, { LABEL: "op" }) },
              { ALT: () => this.CONSUME(T.StartsWith, { LABEL: "op" }) },
              { ALT: () => this.CONSUME(T.EndsWith, { LABEL: "op" }) },
            ]);
            this.SUBRULE2(this.additive, { LABEL: "right" });
          },
        },
        {
          ALT: () => {
            this.OPTION2(() => this.CONSUME(T.Not, { LABEL: "inNot" }));
            this.CONSUME(T.In);
            this.SUBRULE(this.list);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Matches);
            this.CONSUME(T.StringTok, { LABEL: "pattern" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Between);
            this.SUBRULE3(this.additive, { LABEL: "low" });
            this.CONSUME(T.And, { LABEL: "betweenAnd" });
            this.SUBRULE4(this.additive, { LABEL: "high" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Is);
            this.OPTION3(() => this.CONSUME2(T.Not, { LABEL: "isNot" }));
            this.CONSUME(T.Null);
          },
        },
      ]);
    });
  });

  additive = this.RULE("additive", () => {
    this.SUBRULE(this.term, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.term, { LABEL: "operands" });
    });
  });

  term = this.RULE("term", () => {
    this.SUBRULE(this.unary, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(T.Slash, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.unary, { LABEL: "operands" });
    });
  });

  unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberTok) },
      { ALT: () => this.CONSUME(T.Percent) },
      { ALT: () => this.CONSUME(T.Duration) },
      { ALT: () => this.CONSUME(T.StringTok) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.path) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
    ]);
  });

  parenthesized = this.RULE("parenthesized", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.orExpr);
    this.CONSUME(T.RParen);
  });

  path = this.RULE("path", () => {
    this.CONSUME(T.Identifier, { LABEL: "names" });
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Identifier, { LABEL: "names" });
    });
  });

  call = this.RULE("call", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => this.SUBRULE(this.argument, { LABEL: "args" }),
    });
    this.CONSUME(T.RParen);
  });

  /** A call argument; `where` is accepted here so aggregates parse, and rejected later outside them. */
  argument = this.RULE("argument", () => {
    this.SUBRULE(this.orExpr, { LABEL: "value" });
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE2(this.orExpr, { LABEL: "filter" });
    });
  });

  list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => this.SUBRULE(this.orExpr, { LABEL: "items" }),
    });
    this.CONSUME(T.RBracket);
  });
}

/** The rules whose failure means "an expression was expected here". */
const EXPRESSION_RULES = new Set([
  "condition",
  "metric",
  "orExpr",
  "andExpr",
  "notExpr",
  "comparison",
  "additive",
  "term",
  "unary",
  "primary",
  "argument",
]);

export function describeToken(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF) return "end of input";
  // String tokens already carry their quotes; control characters are escaped so a message stays one line.
  const image = token.image.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return token.tokenType === T.StringTok ? image : `"${image}"`;
}

function after(previous: IToken | undefined): string {
  if (!previous || previous.tokenType === EOF || Number.isNaN(previous.startOffset)) return "";
  return ` after ${describeToken(previous)}`;
}

function labelOf(t: TokenType): string {
  return t.LABEL ?? t.name;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    return `Expected ${labelOf(expected)}${after(previous)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    if (EXPRESSION_RULES.has(ruleName)) return `Expected an expression${after(previous)} but found ${describeToken(actual[0])}`;
    const firsts = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) firsts.add(labelOf(path[0]));
    return `Expected ${[...firsts].join(" or ")}${after(previous)} but found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ actual, previous }) {
    return `Expected an expression${after(previous)} but found ${describeToken(actual[0])}`;
  },
};

/** Built once: grammar analysis is the expensive part, parsing is cheap. */
export const exprGrammar = new ExprGrammar();
