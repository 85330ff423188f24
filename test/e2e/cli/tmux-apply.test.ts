import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BIN, exampleRepo } from "../../helpers/workspace.js";

function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8" });
}

async function waitFor(session: string, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let screen = "";
  while (Date.now() < until) {
    screen = tmux("capture-pane", "-p", "-t", session);
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${pattern}; screen was:\n${screen}`);
}

let sessions = 0;

/** Runs `exp apply` in a tmux terminal, calls `whilePrompting` while it waits for the answer, then types yes. */
async function typeYes(env: string, whilePrompting?: (dir: string) => void): Promise<void> {
  const dir = exampleRepo();
  const session = `exp-apply-${process.pid}-${++sessions}`;
  tmux(
    "new-session",
    "-d",
    "-s",
    session,
    "-x",
    "160",
    "-y",
    "50",
    "-c",
    dir,
    `env ${env} NO_COLOR=1 EXP_ACTOR=tmux ${process.execPath} ${BIN} apply; echo EXIT=$?; sleep 30`,
  );
  try {
    await waitFor(session, /Only "yes" will be accepted/);
    assert.equal(existsSync(join(dir, ".exp/published/current")), false, "nothing is published before the answer");
    whilePrompting?.(dir);
    tmux("send-keys", "-t", session, "yes", "Enter");
    const screen = await waitFor(session, /EXIT=\d+/);
    assert.match(screen, /Applied: first version → v1/);
    assert.match(screen, /EXIT=0/);
    assert.equal(existsSync(join(dir, ".exp/published/current")), true);
  } finally {
    tmux("kill-session", "-t", session);
  }
}

test("a person types yes at the apply prompt in a real terminal (tmux, ink) and the ruleset is published", () => typeYes("-u CI"));

test("with CI set, where ink does not draw, the prompt falls back to a plain line and still works", () => typeYes("CI=true"));

test("two concurrent applies: the one waiting at its prompt holds the lock, the other exits 1 naming it, and exactly one publishes", () =>
  typeYes("-u CI", (dir) => {
    const second = spawnSync(process.execPath, [BIN, "apply", "--auto-approve", "--lock-timeout", "0"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", EXP_ACTOR: "ci" },
    });
    assert.equal(second.status, 1, second.stdout + second.stderr);
    assert.match(second.stderr, /the publish target is locked by tmux \(pid \d+ on host /);
    assert.equal(existsSync(join(dir, ".exp/published/current")), false, "the refused apply published nothing");
  }));
