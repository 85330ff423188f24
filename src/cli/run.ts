import { Command } from "commander";
import { ExpError } from "../diagnostics/errors.js";
import { toDiagnosticJson } from "../diagnostics/json.js";
import { renderOne } from "../diagnostics/render.js";
import { painterFor } from "../diagnostics/style.js";

type ErrorStream = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * Wraps a command action, and is the one place where a failed command is printed: an ExpError (a
 * condition the user can fix, domain errors included) as one diagnostic rendered like `exp
 * validate`'s, or as the JSON report when `--format json` was asked; anything else is a bug,
 * reported without a stack trace unless EXP_DEBUG is set. The action returns its exit code.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await fn(...args);
    } catch (err) {
      code = reportFailure(err, { json: wantsJson(args) });
    }
    process.exitCode = code;
  };
}

/** Commander passes the command last; its `--format` says how the failure should be printed. */
function wantsJson(args: unknown[]): boolean {
  const cmd = args.at(-1);
  return cmd instanceof Command && cmd.opts().format === "json";
}

/** Prints a failure to stderr and returns the exit code. */
export function reportFailure(err: unknown, o: { json?: boolean; stderr?: ErrorStream; env?: NodeJS.ProcessEnv } = {}): number {
  const stderr = o.stderr ?? process.stderr;
  const env = o.env ?? process.env;
  if (err instanceof ExpError) {
    const d = toDiagnosticJson(err.diagnostic);
    if (o.json) stderr.write(`${JSON.stringify({ ok: false, diagnostics: [d] })}\n`);
    else stderr.write(`${renderOne(d, () => undefined, painterFor(stderr, env))}\n`);
    if (env.EXP_DEBUG) stderr.write(`${err.stack ?? ""}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  stderr.write(`internal error: ${e?.message ?? String(err)}\n`);
  if (env.EXP_DEBUG) stderr.write(`${e?.stack ?? ""}\n`);
  else stderr.write("  (set EXP_DEBUG=1 for details; this is a bug in exp, please report it)\n");
  return 1;
}
