import type { Diagnostic, Span } from "../../diagnostics/diagnostic.js";
import type { CodeInfo } from "../../diagnostics/codes.js";

/**
 * A publish-state failure the user can act on (locked target, stale plan, bad config). Thrown by
 * targets because the caller cannot continue; commands turn it into a diagnostic or a UserError.
 */
export class PublishError extends Error {
  readonly code: string;
  constructor(
    info: CodeInfo,
    message: string,
    readonly hint?: string,
    readonly span?: Span,
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = "PublishError";
    this.code = info.code;
  }

  toDiagnostic(): Diagnostic {
    const d: Diagnostic = { code: this.code, severity: "error", message: this.message };
    if (this.span) d.span = this.span;
    if (this.suggestion) d.suggestion = this.suggestion;
    return d;
  }
}
