import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Debian's headless Chromium, with the flags this closed network needs. Tests fail (not skip) without it. */
export function chromiumPath(): string {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (existsSync(p)) return p;
  throw new Error("Chromium is not installed: install Debian's `chromium` package (.ci/run does).");
}

export function baseArgs(): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--allow-file-access-from-files",
    `--user-data-dir=${mkdtempSync(join(tmpdir(), "exp-chromium-"))}`,
  ];
}

// No time limit per run (a loaded machine makes Chromium slow, not wrong); a hang is stopped by the
// test runner's timeout (scripts/run-tests.mjs).

/** Loads a page and returns the DOM after scripts ran. */
export function dumpDom(url: string): string {
  const r = spawnSync(chromiumPath(), [...baseArgs(), "--virtual-time-budget=10000", "--dump-dom", url], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`chromium --dump-dom failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export function screenshot(url: string, out: string, size = "1000,2400"): void {
  const r = spawnSync(chromiumPath(), [...baseArgs(), "--virtual-time-budget=10000", `--window-size=${size}`, `--screenshot=${out}`, url], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`chromium --screenshot failed (${r.status}): ${r.stderr}`);
}
