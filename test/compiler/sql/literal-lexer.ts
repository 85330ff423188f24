// Reads a string literal back the way each engine's lexer does (from their documented lexical
// rules), to prove that an escaped literal is one token that decodes to the original string.
export type LiteralRules = "standard" | "postgres" | "bigquery" | "snowflake";

export interface ScannedLiteral {
  /** Index just past the closing quote. */
  end: number;
  value: string;
}

function backslashEscape(sql: string, i: number): { text: string; next: number } {
  const c = sql[i + 1]!;
  const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", a: "\u0007", "0": "\u0000" };
  if (c === "x") return { text: String.fromCharCode(parseInt(sql.slice(i + 2, i + 4), 16)), next: i + 4 };
  if (c === "u") return { text: String.fromCharCode(parseInt(sql.slice(i + 2, i + 6), 16)), next: i + 6 };
  return { text: simple[c] ?? c, next: i + 2 };
}

export function scanLiteral(sql: string, start: number, rules: LiteralRules): ScannedLiteral {
  let i = start;
  let backslashes = rules === "bigquery" || rules === "snowflake";
  if (rules === "postgres" && (sql[i] === "E" || sql[i] === "e")) {
    backslashes = true;
    i++;
  }
  if (sql[i] !== "'") throw new Error(`no literal at ${start}: ${sql.slice(start, start + 20)}`);
  i++;
  let value = "";
  for (;;) {
    if (i >= sql.length) throw new Error("unterminated literal");
    const c = sql[i]!;
    if (rules === "bigquery" && (c === "\n" || c === "\r")) throw new Error("raw line break in a BigQuery quoted string");
    if (c === "\\" && backslashes) {
      const e = backslashEscape(sql, i);
      value += e.text;
      i = e.next;
    } else if (c === "'") {
      if (sql[i + 1] === "'" && rules !== "bigquery") {
        value += "'";
        i += 2;
      } else return { end: i + 1, value };
    } else {
      value += c;
      i++;
    }
  }
}
