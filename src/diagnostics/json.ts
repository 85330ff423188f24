import type { Diagnostic, DiagnosticJson } from "./diagnostic.js";

/** The docs/cli.md report: `{ok, diagnostics}`; every view of diagnostics is rendered from this form. */
export interface DiagnosticReport {
  ok: boolean;
  diagnostics: DiagnosticJson[];
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Sort order of a run: by file, line, column, then code (workspace-wide diagnostics first). */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.span?.file ?? "";
  const fb = b.span?.file ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (
    (a.span?.line ?? 0) - (b.span?.line ?? 0) ||
    (a.span?.column ?? 0) - (b.span?.column ?? 0) ||
    a.code.localeCompare(b.code) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.message.localeCompare(b.message)
  );
}

export function toDiagnosticJson(d: Diagnostic): DiagnosticJson {
  const out: DiagnosticJson = { code: d.code, severity: d.severity, message: d.message };
  if (d.span) {
    out.file = d.span.file;
    out.line = d.span.line;
    out.column = d.span.column;
    out.endLine = d.span.endLine;
    out.endColumn = d.span.endColumn;
  }
  if (d.suggestion) out.suggestion = d.suggestion;
  if (d.related?.length) {
    out.related = d.related.map((r) => ({
      message: r.message,
      file: r.span.file,
      line: r.span.line,
      column: r.span.column,
      endLine: r.span.endLine,
      endColumn: r.span.endColumn,
    }));
  }
  return out;
}

/**
 * Sorted, de-duplicated JSON report. `ok` is false when any error remains. Info diagnostics are
 * kept out unless asked for: they never change the outcome and would clutter CI logs.
 */
export function toDiagnosticReport(diags: readonly Diagnostic[], opts: { includeInfo?: boolean } = {}): DiagnosticReport {
  const seen = new Set<string>();
  const out: DiagnosticJson[] = [];
  for (const d of [...diags].sort(compareDiagnostics)) {
    if (d.severity === "info" && !opts.includeInfo) continue;
    const j = toDiagnosticJson(d);
    const id = `${j.code}|${j.file}|${j.line}|${j.column}|${j.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(j);
  }
  return { ok: !diags.some((d) => d.severity === "error"), diagnostics: out };
}
