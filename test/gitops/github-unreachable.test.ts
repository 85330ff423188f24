import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

// `exp github` against an API that never answers and against a closed port: the step must end with
// a message that says what happened (no answer in time, connection refused) and where, never a
// "500" and never a hang. Drives the built CLI: build first with `npm run build`.
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repoRoot, "bin/exp");

let tmp: string;
let silent: Server;
const sockets = new Set<Socket>();
let silentUrl: string;
let closedUrl: string;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return (server.address() as AddressInfo).port;
}

before(async () => {
  assert.ok(existsSync(join(repoRoot, "dist/src/cli/github.js")), "build first: npm run build");
  tmp = mkdtempSync(join(tmpdir(), "exp-gh-unreachable-"));
  await execa("git", ["init", "-q", tmp]);
  writeFileSync(join(tmp, "exp.yaml"), "version: 1\nproject: shop\nunits: [user]\n");
  writeFileSync(join(tmp, "event.json"), JSON.stringify({ number: 3, pull_request: { number: 3, head: { sha: "a".repeat(40) } } }));
  writeFileSync(join(tmp, "plan.md"), "## the plan\n");
  // Accepts connections and reads requests, but never writes a byte back.
  silent = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.resume();
  });
  silentUrl = `http://127.0.0.1:${await listen(silent)}`;
  // A port that was just free: nothing listens there once the probe closes.
  const probe = createServer();
  const port = await listen(probe);
  await new Promise<void>((ok) => probe.close(() => ok()));
  closedUrl = `http://127.0.0.1:${port}`;
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((ok) => silent.close(() => ok()));
  rmSync(tmp, { recursive: true, force: true });
});

function run(apiUrl: string, extra: Record<string, string> = {}) {
  return execa(process.execPath, [bin, "github", "comment", "--body-file", join(tmp, "plan.md")], {
    cwd: tmp,
    extendEnv: false,
    reject: false,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GITHUB_TOKEN: "secret-token-value",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_API_URL: apiUrl,
      GITHUB_EVENT_PATH: join(tmp, "event.json"),
      ...extra,
    },
  });
}

describe("exp github when the API cannot be reached", () => {
  test("an API that never answers: the request times out with the limit and the URL, exit 1", async () => {
    const r = await run(silentUrl, { EXP_GITHUB_TIMEOUT_MS: "300" });
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(r.stdout, /## the plan/, "the plan is still printed");
    assert.match(
      r.stderr,
      new RegExp(
        `^error\\[EXP7507\\]: could not reach the GitHub API at ${silentUrl}/repos/acme/shop/issues/3/comments while listing the comments of pull request #3: no answer within 300 ms`,
        "m",
      ),
    );
    assert.match(r.stderr, /EXP_GITHUB_TIMEOUT_MS/);
    assert.doesNotMatch(r.stderr, /\b500\b/);
    assert.doesNotMatch(r.stderr, /secret-token-value/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  });

  test("a closed port: connection refused, named as such, exit 1", async () => {
    const r = await run(closedUrl);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(
      r.stderr,
      /^error\[EXP7507\]: could not reach the GitHub API at http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/shop\/issues\/3\/comments/m,
    );
    assert.match(r.stderr, /connection refused \(ECONNREFUSED\)/);
    assert.doesNotMatch(r.stderr, /\b500\b/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  });
});
