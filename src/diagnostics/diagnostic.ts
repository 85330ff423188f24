/**
 * A diagnostic is a value: checks return them, commands accumulate and render them.
 * Exceptions are for bugs only.
 */
import { redactCredentials } from "./redact.js";

/** A 1-based position range in a source file, plus 0-based offsets into its text. */
export interface Span {
  /** Path relative to the workspace root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based offsets into the file text, end exclusive. */
  offset: number;
  endOffset: number;
}

export type Severity = "error" | "warning" | "info";

export interface RelatedSpan {
  message: string;
  span: Span;
}

export interface Diagnostic {
  /** e.g. "EXP2004"; every code is registered in a code table (see codes.ts). */
  code: string;
  severity: Severity;
  /** One sentence; names the thing in quotes and says what to do. */
  message: string;
  /** Where; absent only for workspace-wide problems (e.g. no exp.yaml). */
  span?: Span;
  related?: RelatedSpan[];
  /** e.g. `did you mean "country"?` */
  suggestion?: string;
}

/** The docs/cli.md JSON shape of one diagnostic. */
export interface DiagnosticJson {
  code: string;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  suggestion?: string;
  related?: { message: string; file: string; line: number; column: number; endLine: number; endColumn: number }[];
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Where a diagnostic points and what it offers beyond its message. */
export interface DiagnosticDetails {
  span?: Span;
  related?: RelatedSpan[];
  suggestion?: string;
}

/**
 * The one way to make a diagnostic: the severity comes from the code's registry entry, so a code
 * can never be reported at two severities.
 */
export function diagnostic(info: { code: string; severity: Severity }, message: string, details: DiagnosticDetails = {}): Diagnostic {
  // Every message can end up in a pull request comment: a URL in it never carries its credentials.
  const d: Diagnostic = { code: info.code, severity: info.severity, message: redactCredentials(message) };
  if (details.span) d.span = details.span;
  if (details.related?.length) d.related = details.related.map((r) => ({ ...r, message: redactCredentials(r.message) }));
  if (details.suggestion) d.suggestion = redactCredentials(details.suggestion);
  return d;
}

/**
 * What every stage boundary returns: a value when the stage could produce one, and the
 * diagnostics it accumulated (errors among them mean `value` may be absent).
 */
export interface Result<T> {
  value?: T;
  diagnostics: Diagnostic[];
}

/** A stage that always produces its value; its diagnostics (warnings, or errors that make the value unusable) sit beside it. */
export type Produced<T> = Result<T> & { value: T };
