import { diagnostic } from "../../diagnostics/diagnostic.js";
import type { Expr, StringLit } from "../../dsl/index.js";
import { SQL_CODES } from "./codes.js";
import type { SqlContext } from "./context.js";
import { propertySql } from "./event-property.js";
import { numberLiteral } from "./params.js";

const COMPARISON: Record<string, string> = { "==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

function unsupported(ctx: SqlContext, expr: Expr, what: string): undefined {
  ctx.diagnostics.push(
    diagnostic(
      SQL_CODES.unsupportedInSql,
      `${what} cannot be used in an event filter; filter on event properties, days_since_exposure or hours_since_exposure.`,
      { span: expr.span },
    ),
  );
  return undefined;
}

/** A user string as a bound parameter or an escaped literal; NUL cannot be stored by every warehouse, so it is refused. */
export function stringSql(ctx: SqlContext, lit: StringLit): string | undefined {
  if (lit.value.includes("\u0000")) {
    ctx.diagnostics.push(
      diagnostic(SQL_CODES.nulInString, "This string contains a NUL character (\\u0000), which warehouses cannot compare; remove it.", {
        span: lit.span,
      }),
    );
    return undefined;
  }
  return ctx.params.string(lit.value);
}

/**
 * Compiles the `where` of an aggregate to a SQL predicate over one event row. SQL's three-valued
 * logic applies: a comparison with a missing property is unknown, so the event does not match
 * (only `is null` matches a missing property).
 */
export function conditionSql(ctx: SqlContext, event: string, expr: Expr): string | undefined {
  const sub = (e: Expr) => conditionSql(ctx, event, e);
  const all = (es: Expr[]) => {
    const out = es.map(sub);
    return out.every((s): s is string => s !== undefined) ? out : undefined;
  };
  switch (expr.kind) {
    case "number":
    case "percent":
      return numberLiteral(expr.value);
    case "string":
      return stringSql(ctx, expr);
    case "boolean":
      return ctx.dialect.booleanLiteral(expr.value);
    case "null":
      return "NULL";
    case "duration":
      return unsupported(ctx, expr, `The duration "${expr.raw}"`);
    case "path": {
      const names = expr.segments.map((s) => s.name);
      // `purchase.revenue` inside a filter on purchase means the same as `revenue`.
      if (names.length === 2 && names[0] === event) return propertySql(ctx, event, names[1]!, expr.segments[1]!.span);
      if (names.length !== 1) return unsupported(ctx, expr, `The path "${names.join(".")}"`);
      return propertySql(ctx, event, names[0]!, expr.span);
    }
    case "list":
      return unsupported(ctx, expr, "A list outside `in`");
    case "unary": {
      const operand = sub(expr.operand);
      if (operand === undefined) return undefined;
      return expr.op === "not" ? `(NOT ${operand})` : `(-${operand})`;
    }
    case "binary": {
      const [left, right] = [sub(expr.left), sub(expr.right)];
      if (left === undefined || right === undefined) return undefined;
      switch (expr.op) {
        case "and":
          return `(${left} AND ${right})`;
        case "or":
          return `(${left} OR ${right})`;
        case "contains":
          return `(${ctx.dialect.contains(left, right)})`;
        case "starts_with":
          return `(${ctx.dialect.startsWith(left, right)})`;
        case "ends_with":
          return `(${ctx.dialect.endsWith(left, right)})`;
        case "+":
        case "-":
        case "*":
        case "/":
          return `(${left} ${expr.op} ${right})`;
        default:
          if (expr.right.kind === "null" && (expr.op === "==" || expr.op === "!="))
            return `(${left} IS ${expr.op === "==" ? "" : "NOT "}NULL)`;
          if (expr.left.kind === "null" && (expr.op === "==" || expr.op === "!="))
            return `(${right} IS ${expr.op === "==" ? "" : "NOT "}NULL)`;
          return `(${left} ${COMPARISON[expr.op]} ${right})`;
      }
    }
    case "in": {
      const value = sub(expr.value);
      const items = all(expr.list.items);
      if (value === undefined || items === undefined) return undefined;
      if (items.length === 0) return ctx.dialect.booleanLiteral(expr.negated);
      return `(${value} ${expr.negated ? "NOT IN" : "IN"} (${items.join(", ")}))`;
    }
    case "between": {
      const parts = all([expr.value, expr.low, expr.high]);
      if (parts === undefined) return undefined;
      return `(${parts[0]} BETWEEN ${parts[1]} AND ${parts[2]})`;
    }
    case "is_null": {
      const value = sub(expr.value);
      return value === undefined ? undefined : `(${value} IS ${expr.negated ? "NOT " : ""}NULL)`;
    }
    case "matches": {
      const value = sub(expr.value);
      const pattern = stringSql(ctx, expr.pattern);
      if (value === undefined || pattern === undefined) return undefined;
      return `(${ctx.dialect.regexMatches(value, pattern)})`;
    }
    case "call": {
      const args = all(expr.args);
      if (args === undefined) return undefined;
      if (expr.name === "lower" && args.length === 1) return ctx.dialect.lower(args[0]!);
      if (expr.name === "len" && args.length === 1) return ctx.dialect.length(args[0]!);
      if (expr.name === "date" && args.length === 1) return ctx.dialect.dateFrom(args[0]!);
      return unsupported(ctx, expr, `The function "${expr.name}"`);
    }
    case "aggregate":
      return unsupported(ctx, expr, "An aggregate");
  }
}
