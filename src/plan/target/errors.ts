import type { Span } from "../../diagnostics/diagnostic.js";
import type { CodeInfo } from "../../diagnostics/codes.js";
import { ExpError } from "../../diagnostics/errors.js";

/**
 * A publish-state failure the user can act on (locked target, stale plan, bad config). Thrown by
 * targets because the caller cannot continue; the command line prints it as one diagnostic, the same
 * from every command. The hint and the did-you-mean both end up in the diagnostic's help line.
 */
export class PublishError extends ExpError {
  constructor(
    info: CodeInfo,
    message: string,
    readonly hint?: string,
    readonly span?: Span,
    readonly suggestion?: string,
  ) {
    super({
      code: info.code,
      severity: info.severity,
      message,
      ...(span ? { span } : {}),
      ...(suggestion || hint ? { suggestion: [suggestion, hint].filter(Boolean).join("; ") } : {}),
    });
    this.name = "PublishError";
  }
}
