import { ExpError } from "../diagnostics/errors.js";

/**
 * A failure the user can act on (missing variable, unreadable file, API refusal). The command line
 * prints it as one diagnostic with the hint as its help line; gitops code never prints.
 */
export class GitOpsError extends ExpError {
  constructor(
    /** A code from codes.ts; every GitOps failure is an error. */
    code: string,
    message: string,
    readonly hint?: string,
  ) {
    super({ code, severity: "error", message, ...(hint ? { suggestion: hint } : {}) });
    this.name = "GitOpsError";
  }
}
