import { spawn } from "node:child_process";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitRunOptions {
  cwd: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Network steps (fetch, push) are stopped after this long; local plumbing has none. */
  timeoutMs?: number;
}

/**
 * Runs one git command and returns its exit code and output; the caller decides what a failure
 * means. Prompts are disabled, so a fetch or push without credentials fails instead of waiting for
 * a password nobody will type. A git that cannot be started is code -1 with the reason on stderr.
 */
export function runGit(args: readonly string[], o: GitRunOptions): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn("git", args, {
      cwd: o.cwd,
      env: { ...(o.env ?? process.env), GIT_TERMINAL_PROMPT: "0", GCM_INTERACTIVE: "never", LC_ALL: "C" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      o.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, o.timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      resolve({ code: -1, stdout: "", stderr: `cannot run git: ${e.message}` });
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      const stderr = Buffer.concat(err).toString("utf8");
      resolve({
        code: timedOut ? -1 : (code ?? -1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: timedOut ? `git ${args[0]} timed out after ${o.timeoutMs} ms` : stderr,
      });
    });
    child.stdin.on("error", () => {
      // git exited before reading its input; its exit code tells why.
    });
    child.stdin.end(o.input ?? "");
  });
}

/**
 * The first line of git's complaint, without its "fatal: " / "error: " prefix, for one-sentence
 * messages; credentials written into a remote URL ("https://user:token@host") are left out.
 */
export function gitComplaint(r: GitResult): string {
  const line = r.stderr
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "" && !/^hint:/.test(l));
  return (line ?? `git exited with code ${r.code}`).replace(/^(fatal|error):\s*/, "").replace(/\/\/[^/@\s]+@/g, "//");
}
