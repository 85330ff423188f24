import type { SqlDialect } from "./dialect.js";

/**
 * Collects the string values of one query. Where the driver binds parameters (DuckDB, pg) a value
 * becomes a placeholder and travels apart from the SQL text; elsewhere, or when asked to inline
 * for display, it becomes a literal escaped for the dialect. Numbers never come here: they are
 * validated finite and printed by the compiler.
 */
export class QueryParams {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly dialect: SqlDialect,
    private readonly inline: boolean,
  ) {}

  string(value: string): string {
    if (this.inline || !this.dialect.placeholder) return this.dialect.stringLiteral(value);
    let i = this.index.get(value);
    if (i === undefined) {
      this.values.push(value);
      i = this.values.length;
      this.index.set(value, i);
    }
    return this.dialect.placeholder(i);
  }
}

/** A finite number as SQL text; callers validate beforehand, so anything else is a bug. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`non-finite number in SQL: ${value}`);
  // Parenthesised so that "x - -5" can never print as the comment marker "--".
  return value < 0 ? `(${value})` : String(value);
}
