/**
 * A mistake the user can fix (bad flag value, missing workspace, stale plan). Commands throw it;
 * the CLI wrapper prints the message without a stack trace and exits with `exitCode`.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}
