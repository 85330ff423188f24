/** The columns of the reference tables; a row reads any other column as `string | undefined`. */
type ReferenceColumn = "unit_id" | "experiment" | "variant" | "ts" | "session_id" | "event" | "value" | "properties" | "event_id";
export type CsvRow = Record<ReferenceColumn, string> & Record<string, string>;

/** A small RFC 4180 reader for the reference CSVs (quoted fields, doubled quotes, no embedded newlines needed). */
export function readCsv(text: string): CsvRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitLine(lines[0]!);
  return lines.slice(1).map((line) => {
    const cells = splitLine(line);
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ""));
    return row as CsvRow;
  });
}

function splitLine(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cell);
      cell = "";
    } else cell += ch;
  }
  out.push(cell);
  return out;
}
