// The package as a user gets it: `npm pack` of this checkout, installed with npm into a new git
// repository in a temp folder. Shared by the install test and the workflow tests.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * The environment of a user's shell: no npm_* variables of the `npm test` that runs this, and the
 * registry cache preferred (the lock of this repository already filled it), so the install does
 * not depend on the network for packages it has seen.
 */
export function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k) && k !== "INIT_CWD") env[k] = v;
  return {
    ...env,
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    ...extra,
  };
}

/** `npm pack` of the built checkout (run `npm run build` first; packing does not rebuild). */
export async function packTarball(into: string): Promise<string> {
  assert.ok(existsSync(join(repoRoot, "dist/src/cli/main.js")), "build first: npm run build");
  mkdirSync(into, { recursive: true });
  await execa("npm", ["pack", "--ignore-scripts", "--pack-destination", into], { cwd: repoRoot, env: userEnv() });
  const tgz = readdirSync(into).find((f) => /^exp-toolchain-.*\.tgz$/.test(f));
  assert.ok(tgz, "npm pack wrote a tarball");
  return join(into, tgz);
}

export interface InstalledRepo {
  /** The temp folder holding the tarball and the repository. */
  tmp: string;
  tgz: string;
  repo: string;
  /** npm's output of the install, for the log. */
  installOutput: string;
  installMs: number;
}

/**
 * A new git repository with the packed exp installed as a dev dependency, the documented way.
 * `--prefix` pins where npm installs: without it, npm installs into the nearest folder above that
 * holds a package.json, which a shared temp folder may have.
 */
export async function installIntoNewRepo(prefix = "exp-install-"): Promise<InstalledRepo> {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const tgz = await packTarball(join(tmp, "pack"));
  const repo = join(tmp, "repo");
  mkdirSync(repo);
  await execa("git", ["init", "-q", "-b", "main", repo]);
  const started = process.hrtime.bigint();
  const r = await execa("npm", ["install", "--prefix", repo, "--save-dev", tgz], { cwd: repo, env: userEnv(), all: true, reject: false });
  const installMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
  assert.equal(r.exitCode, 0, r.all);
  return { tmp, tgz, repo, installOutput: r.all ?? "", installMs };
}

/** Runs `npx --no-install exp ...` in `cwd`: it must resolve to the local install, never download a package named exp. */
export function npxExp(cwd: string, args: string[], env: Record<string, string> = {}) {
  return execa("npx", ["--no-install", "exp", ...args], { cwd, env: userEnv(env), extendEnv: false, reject: false, all: true });
}
