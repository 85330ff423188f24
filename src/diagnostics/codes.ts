import type { Severity } from "./diagnostic.js";

/**
 * Diagnostic codes live in one namespace, allocated by area:
 *   EXP1xxx  YAML, schema and file layout        (src/workspace)
 *   EXP2xxx  the expression language              (src/dsl)
 *   EXP3xxx  cross-file references and semantics  (src/workspace/checks)
 *   EXP4xxx  plan, apply and their checks         (src/plan)
 *   EXP5xxx  runtime, ruleset and export          (src/runtime, src/compiler/ruleset)
 *   EXP6xxx  SQL and analysis                     (src/compiler/sql, src/analysis)
 *   EXP7xxx  reports and GitOps                   (src/report, src/gitops)
 *   EXP9xxx  the command line itself              (src/cli)
 * Each area declares its table with defineCodes(); docs/diagnostics.md is generated from all tables.
 */
export interface CodeInfo {
  code: string;
  severity: Severity;
  /** Short title for the docs table. */
  title: string;
}

export type CodeTable<K extends string> = Record<K, CodeInfo>;

const registry = new Map<string, CodeInfo>();

export function defineCodes<K extends string>(table: Record<K, { code: string; severity: Severity; title: string }>): CodeTable<K> {
  for (const info of Object.values(table) as CodeInfo[]) {
    const prev = registry.get(info.code);
    if (prev && prev.title !== info.title) throw new Error(`diagnostic code ${info.code} registered twice`);
    registry.set(info.code, info);
  }
  return table as CodeTable<K>;
}

export function allCodes(): CodeInfo[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}
