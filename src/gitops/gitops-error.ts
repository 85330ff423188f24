import { diagnostic } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import type { CodeInfo } from "../diagnostics/codes.js";

/**
 * A failure the user can act on (missing variable, unreadable file, API refusal). The command line
 * prints it as one diagnostic with the hint as its help line; gitops code never prints.
 */
export class GitOpsError extends ExpError {
  constructor(
    /** An entry of codes.ts; every GitOps failure is an error. */
    info: CodeInfo,
    message: string,
    readonly hint?: string,
  ) {
    super(diagnostic(info, message, { suggestion: hint }));
    this.name = "GitOpsError";
  }
}
