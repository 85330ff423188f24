import { posix } from "node:path";
import type { DiagnosticJson } from "../diagnostics/diagnostic.js";

/** One check-run annotation, as the GitHub checks API takes it. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning" | "notice";
  message: string;
  title?: string;
  raw_details?: string;
}

/** GitHub accepts at most this many annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

const level: Record<DiagnosticJson["severity"], CheckAnnotation["annotation_level"]> = {
  error: "failure",
  warning: "warning",
  info: "notice",
};

/**
 * Diagnostics carry workspace-relative paths; GitHub wants repository-relative ones, so the
 * workspace's folder inside the repository (`prefix`, "" at the top) is prepended. Diagnostics
 * without a file cannot be placed on a line and stay in the summary only.
 */
export function toAnnotations(diagnostics: readonly DiagnosticJson[], prefix: string): CheckAnnotation[] {
  const out: CheckAnnotation[] = [];
  for (const d of diagnostics) {
    if (!d.file) continue;
    const startLine = d.line && d.line > 0 ? d.line : 1;
    const endLine = d.endLine && d.endLine >= startLine ? d.endLine : startLine;
    const a: CheckAnnotation = {
      path: prefix ? posix.join(prefix, d.file) : d.file,
      start_line: startLine,
      end_line: endLine,
      annotation_level: level[d.severity],
      message: d.message,
      title: d.code,
    };
    // The API rejects columns on annotations that span several lines.
    if (startLine === endLine && d.column && d.column > 0) {
      a.start_column = d.column;
      a.end_column = d.endColumn && d.endColumn >= d.column ? d.endColumn : d.column;
    }
    if (d.suggestion) a.raw_details = d.suggestion;
    out.push(a);
  }
  return out;
}

export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
