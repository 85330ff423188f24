import type { Diagnostic } from "./diagnostic.js";
import { diagnostic, type DiagnosticDetails } from "./diagnostic.js";

/**
 * A condition the user can fix (a bad flag, a locked target, a port in use, a missing `env:`
 * variable). It carries the diagnostic to print and the exit code; the command line prints it once,
 * at the top, as one diagnostic and never with a stack trace. Domain errors extend it.
 */
export class ExpError extends Error {
  readonly diagnostic: Diagnostic;
  readonly exitCode: number;

  constructor(d: Diagnostic, options: { exitCode?: number; cause?: unknown } = {}) {
    // Domain errors may build their diagnostic by hand: it goes through the factory so that its text is redacted too.
    const safe = diagnostic(d, d.message, d);
    super(safe.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ExpError";
    this.diagnostic = safe;
    this.exitCode = options.exitCode ?? 1;
  }

  static of(
    info: { code: string; severity: "error" | "warning" | "info" },
    message: string,
    details: DiagnosticDetails & { exitCode?: number; cause?: unknown } = {},
  ): ExpError {
    const { exitCode, cause, ...rest } = details;
    return new ExpError(diagnostic(info, message, rest), { exitCode, cause });
  }

  get code(): string {
    return this.diagnostic.code;
  }
}

/**
 * A broken invariant inside exp: something no user input should be able to cause. The command line
 * reports it as a bug (with the stack under EXP_DEBUG). Anything thrown that is not an ExpError is
 * treated the same way.
 */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InternalError";
  }
}

export function isExpError(err: unknown): err is ExpError {
  return err instanceof ExpError;
}
