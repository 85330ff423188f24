import { UserError } from "./errors.js";

/**
 * Wraps a command action: user errors print one clean message and exit 1 (or their own code);
 * anything else is a bug, reported without a stack trace unless EXP_DEBUG is set.
 * The action returns its exit code.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await fn(...args);
    } catch (err) {
      if (err instanceof UserError) {
        process.stderr.write(`error: ${err.message}\n`);
        if (err.hint) process.stderr.write(`  ${err.hint}\n`);
        code = err.exitCode;
      } else {
        const e = err as Error;
        process.stderr.write(`internal error: ${e?.message ?? String(err)}\n`);
        if (process.env.EXP_DEBUG) process.stderr.write(`${e?.stack ?? ""}\n`);
        else process.stderr.write("  (set EXP_DEBUG=1 for details; this is a bug in exp, please report it)\n");
        code = 1;
      }
    }
    process.exitCode = code;
  };
}
