import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";

const ROOT = new URL("../../", import.meta.url).pathname;
export const BIN = join(ROOT, "bin/exp");

/** Copies the example workspace at the repository root into a fresh git repository in a temp dir. */
export function exampleRepo(prefix = "exp-ws-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of ["exp.yaml", "layers.yaml", "metrics", "experiments", "flags", "segments"])
    cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  writeFileSync(join(dir, ".gitignore"), ".exp/\n");
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "example workspace");
  return dir;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", ...args], { cwd: dir, encoding: "utf8" });
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (bin/exp → dist/) in `cwd`. There is no time limit per run: a loaded machine
 * makes a command slow, not wrong; a command that hangs is stopped by the test runner's timeout
 * (scripts/run-tests.mjs).
 */
export function exp(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", EXP_ACTOR: "test-actor", ...env },
    input,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
