/**
 * docs/diagnostics.md is generated from every code table in src/ (each module calling defineCodes
 * registers its table when imported). Regenerate with:
 *   node --import tsx test/workspace/diagnostics-doc.ts --write
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { allCodes } from "../../src/diagnostics/codes.js";

export const REPO = new URL("../../", import.meta.url).pathname;
export const DOC = join(REPO, "docs/diagnostics.md");

/** Every module that declares a code table (usually a `codes.ts`). */
function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return codeFiles(p);
    if (!e.name.endsWith(".ts") || e.name.endsWith(".test.ts") || p.endsWith("diagnostics/codes.ts")) return [];
    return readFileSync(p, "utf8").includes("defineCodes(") ? [p] : [];
  });
}

const AREAS: Record<string, string> = {
  "1": "Files, YAML and schemas",
  "2": "Expression language",
  "3": "Cross-file references and semantics",
  "4": "Plan, apply and checks",
  "5": "Runtime, ruleset and export",
  "6": "SQL and analysis",
  "7": "Reports and GitOps",
  "9": "Command line",
};

export async function renderDiagnosticsDoc(): Promise<string> {
  for (const f of codeFiles(join(REPO, "src")).sort()) await import(pathToFileURL(f).href);
  const lines = [
    "# Diagnostic codes",
    "",
    "Every problem `exp` reports carries a code from this table. `exp validate --format json` prints",
    '`{"ok": bool, "diagnostics": [{code, severity, message, file, line, column, endLine, endColumn, suggestion}]}`;',
    "lines and columns are 1-based. Errors fail the command (exit 1); warnings do not. Info notes are",
    "left out of `validate` output.",
    "",
    "Files in `metrics/`, `experiments/`, `flags/` and `segments/` must end in `.yaml`; a `.yml` file is",
    "ignored with warning EXP1010, and files with other extensions are ignored silently. Files over",
    "1 MB are refused (EXP1003) without being read.",
    "",
    "This file is generated from the code tables in `src/` (every `defineCodes` call): run",
    "`node --import tsx test/workspace/diagnostics-doc.ts --write` after adding a code.",
  ];
  let area = "";
  for (const c of allCodes()) {
    const a = c.code.charAt(3);
    if (a !== area) {
      area = a;
      lines.push("", `## EXP${a}xxx — ${AREAS[a] ?? "Other"}`, "", "| code | severity | meaning |", "|---|---|---|");
    }
    lines.push(`| ${c.code} | ${c.severity} | ${c.title.replace(/\|/g, "\\|")} |`);
  }
  return `${lines.join("\n")}\n`;
}

if (process.argv.includes("--write")) {
  writeFileSync(DOC, await renderDiagnosticsDoc());
  console.log(`wrote ${DOC}`);
}
