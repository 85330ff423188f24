import type { DiagnosticJson } from "./diagnostic.js";
import type { DiagnosticReport } from "./json.js";
import type { SourceFile } from "./source.js";
import { plain, type Painter } from "./style.js";

/** Looks up the text of a workspace file for snippets; undefined when it was never read. */
export type SourceLookup = (file: string) => SourceFile | undefined;

/**
 * Renders a report in the style of rustc / TypeScript: header, location, the source line with a gutter,
 * carets under the span (its first line only), related spans as notes and the did-you-mean as help.
 * It reads only the JSON form, so text and JSON cannot drift.
 */
export function renderDiagnosticsText(report: DiagnosticReport, source: SourceLookup, paint: Painter = plain): string {
  const blocks = report.diagnostics.map((d) => renderOne(d, source, paint));
  const summary = summaryLine(report.diagnostics);
  return (
    [...blocks, summary ? paint(report.ok ? "warning" : "error", summary) : ""].filter((s) => s !== "").join("\n\n") +
    (blocks.length || summary ? "\n" : "")
  );
}

export function renderOne(d: DiagnosticJson, source: SourceLookup, paint: Painter = plain): string {
  const lines: string[] = [];
  lines.push(`${paint(d.severity, `${d.severity}[${d.code}]`)}${paint("emphasis", `: ${d.message}`)}`);
  const file = d.file !== undefined ? source(d.file) : undefined;
  const lineNo = d.line ?? 0;
  const text = file && lineNo > 0 ? file.lineText(lineNo) : undefined;
  const width = String(lineNo).length;
  const pad = " ".repeat(width);
  if (d.file !== undefined) lines.push(`${pad}${paint("gutter", "-->")} ${paint("location", `${d.file}:${d.line}:${d.column}`)}`);
  if (text !== undefined && d.column !== undefined) {
    const shown = text.replace(/\t/g, " ");
    const start = Math.min(d.column - 1, shown.length);
    const end = d.endLine === d.line && d.endColumn !== undefined ? d.endColumn - 1 : shown.length;
    const carets = Math.max(1, Math.min(end, shown.length) - start);
    lines.push(`${pad} ${paint("gutter", "|")}`);
    lines.push(`${paint("gutter", `${lineNo} |`)} ${shown}`);
    lines.push(`${pad} ${paint("gutter", "|")} ${" ".repeat(start)}${paint(d.severity, "^".repeat(carets))}`);
  }
  for (const r of d.related ?? [])
    lines.push(
      `${pad} ${paint("gutter", "=")} ${paint("note", "note")}: ${r.message} ${paint("gutter", "-->")} ${paint("location", `${r.file}:${r.line}:${r.column}`)}`,
    );
  if (d.suggestion) lines.push(`${pad} ${paint("gutter", "=")} ${paint("help", "help")}: ${d.suggestion}`);
  return lines.join("\n");
}

/** "2 errors, 1 warning"; empty when there is nothing to report. */
export function summaryLine(diags: readonly Pick<DiagnosticJson, "severity">[]): string {
  const count = (s: string) => diags.filter((d) => d.severity === s).length;
  const parts: string[] = [];
  const e = count("error");
  const w = count("warning");
  const i = count("info");
  if (e) parts.push(`${e} error${e === 1 ? "" : "s"}`);
  if (w) parts.push(`${w} warning${w === 1 ? "" : "s"}`);
  if (i) parts.push(`${i} note${i === 1 ? "" : "s"}`);
  return parts.join(", ");
}

/** A compact markdown list for PR comments. */
export function renderDiagnosticsMarkdown(report: DiagnosticReport): string {
  if (!report.diagnostics.length) return "No problems found.\n";
  const rows = report.diagnostics.map((d) => {
    const where = d.file !== undefined ? `\`${d.file}:${d.line}:${d.column}\` ` : "";
    const icon = d.severity === "error" ? "❌" : d.severity === "warning" ? "⚠️" : "ℹ️";
    return `- ${icon} **${d.code}** ${where}${escapeMd(d.message)}${d.suggestion ? ` (${escapeMd(d.suggestion)})` : ""}`;
  });
  return `${rows.join("\n")}\n\n**${summaryLine(report.diagnostics)}**\n`;
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_|<>])/g, "\\$1");
}
