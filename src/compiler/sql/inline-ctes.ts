/**
 * For engines without `WITH name AS (…)` (ClickHouse 18.16): every common table expression of a
 * compiled query is written out as a subquery where it is read. The blocks emit a fixed layout (a
 * `WITH` line, then per block optional `--` comment lines, `name AS (`, the body indented, and a
 * closing `)` or `),` line at the start of a line), so the rewrite works on lines rather than
 * parsing SQL. A block read twice is written out twice; the engine then computes it twice.
 */
import { InternalError } from "../../diagnostics/errors.js";

const OPEN = /^([a-z_][a-z0-9_]*) AS \($/;
const CLOSE = /^\),?$/;

interface CommonTable {
  readonly name: string;
  readonly lines: string[];
}

function indent(lines: readonly string[]): string {
  return lines.map((l) => (l.length ? `  ${l}` : l)).join("\n");
}

/** `FROM name [AS alias]` and `JOIN name [AS alias]` become a subquery under the alias (or the name). */
function expand(text: string, table: CommonTable): string {
  const ref = new RegExp(`\\b(FROM|JOIN) ${table.name}\\b(?: AS ([a-z_][a-z0-9_]*))?`, "g");
  return text.replace(
    ref,
    (_m, keyword: string, alias: string | undefined) => `${keyword} (\n${indent(table.lines)}\n) AS ${alias ?? table.name}`,
  );
}

export function inlineCommonTables(sql: string): string {
  const lines = sql.split("\n");
  const start = lines.indexOf("WITH");
  if (start < 0) return sql;
  const head = lines.slice(0, start);
  const tables: CommonTable[] = [];
  let comments: string[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("--")) {
      comments.push(line);
      continue;
    }
    const open = OPEN.exec(line);
    if (!open) break;
    const body: string[] = [...comments];
    comments = [];
    let closed = false;
    for (i++; i < lines.length; i++) {
      if (CLOSE.test(lines[i]!)) {
        closed = true;
        break;
      }
      body.push(lines[i]!.replace(/^ {2}/, ""));
    }
    if (!closed) throw new InternalError(`unterminated common table "${open[1]}" in compiled SQL`);
    const expanded = tables.reduce((text, t) => expand(text, t), body.join("\n"));
    tables.push({ name: open[1]!, lines: expanded.split("\n") });
  }
  const main = [...comments, ...lines.slice(i)].join("\n");
  return [...head, tables.reduce((text, t) => expand(text, t), main)].join("\n");
}
