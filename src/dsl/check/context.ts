import { diagnostic, type Diagnostic, type Span } from "../../diagnostics/diagnostic.js";
import { AGGREGATES, type Expr } from "../ast.js";
import { DSL_CODES } from "../codes.js";
import type { CheckEnv } from "./env.js";
import { FUNCTIONS } from "./functions.js";
import { own } from "./own.js";
import { eventPropertyType, type NameScope } from "./scope.js";
import { fromDeclared, type ExprType } from "./types.js";

type CodeKey = keyof typeof DSL_CODES;
const AGGREGATE_SET = new Set<string>(AGGREGATES);

/** Shared state of one check run: the environment, the name scope, inferred types and the diagnostics so far. */
export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  private readonly types = new WeakMap<Expr, ExprType>();

  constructor(
    readonly env: CheckEnv,
    readonly scope: NameScope,
  ) {}

  report(key: CodeKey, message: string, span: Span, suggestion?: string): void {
    this.diagnostics.push(diagnostic(DSL_CODES[key], message, { span, suggestion }));
  }

  /** The static type of e; never reports, so rules can ask freely. */
  typeOf(e: Expr): ExprType {
    let t = this.types.get(e);
    if (t === undefined) {
      t = this.infer(e);
      this.types.set(e, t);
    }
    return t;
  }

  private infer(e: Expr): ExprType {
    switch (e.kind) {
      case "number":
      case "percent":
        return "number";
      case "duration":
        return "duration";
      case "string":
        return "string";
      case "boolean":
        return "boolean";
      case "null":
        return "null";
      case "list":
        return "list";
      case "path":
        return this.pathType(e);
      case "call": {
        if (AGGREGATE_SET.has(e.name)) return "number";
        return own(FUNCTIONS, e.name)?.returns ?? "unknown";
      }
      case "aggregate":
        return "number";
      case "unary":
        return e.op === "not" ? "boolean" : "number";
      case "binary":
        return e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/" ? "number" : "boolean";
      case "in":
      case "matches":
      case "between":
      case "is_null":
        return "boolean";
    }
  }

  private pathType(e: Extract<Expr, { kind: "path" }>): ExprType {
    if (e.segments.length !== 1) return "unknown";
    const name = e.segments[0]!.name;
    if (this.scope.kind === "unit") {
      const t = own(this.env.attributes, name);
      return t === undefined ? "unknown" : fromDeclared(t);
    }
    const t = eventPropertyType(this.scope, name);
    return t === undefined ? "unknown" : fromDeclared(t);
  }
}
