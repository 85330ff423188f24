/**
 * A failure the user can act on (missing variable, unreadable file, API refusal). The command layer
 * turns it into a one-line message and an exit code; gitops code never prints.
 */
export class GitOpsError extends Error {
  constructor(
    /** A code from codes.ts. */
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "GitOpsError";
  }
}
