// Conditions a user can cause and fix reach the one printer in src/cli/run.ts as a diagnostic:
// the right exit code, the code, the message, and never the bug path ("internal error", a stack).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { exampleRepo, exp, type CliResult } from "../helpers/workspace.js";

function assertUserError(r: CliResult, code: string, message: RegExp, exitCode = 1): void {
  assert.equal(r.status, exitCode, r.stderr);
  assert.match(r.stderr, new RegExp(`^error\\[${code}\\]: `, "m"), r.stderr);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /internal error|this is a bug|\n\s+at /);
}

const dirs: string[] = [];
function workspace(): string {
  const dir = exampleRepo("exp-user-errors-");
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("exp serve: the address and the token secret are the user's to fix", () => {
  let busy: Server;
  let port: number;
  before(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    port = (busy.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  test("a port in use", () => {
    const r = exp(workspace(), ["serve", "--no-auth", "--port", String(port)]);
    assertUserError(
      r,
      "EXP9107",
      new RegExp(`the address "127\\.0\\.0\\.1:${port}" is already in use by another process\\n  = help: .*--port`),
    );
  });

  test("a token-secret file that cannot be read, or is not hex, and a short EXP_TOKEN_SECRET", () => {
    const dir = workspace();
    const secret = join(dir, ".exp/server/token-secret");
    mkdirSync(secret, { recursive: true });
    assertUserError(
      exp(dir, ["serve", "--no-auth", "--port", "0"]),
      "EXP9108",
      /cannot read the exposure-token secret ".*token-secret" \(EISDIR\)/,
    );
    rmSync(secret, { recursive: true });
    writeFileSync(secret, "not hex at all\n");
    assertUserError(
      exp(dir, ["serve", "--no-auth", "--port", "0"]),
      "EXP9108",
      /the exposure-token secret ".*token-secret" must hold at least 16 bytes as hex/,
    );
    assertUserError(
      exp(dir, ["serve", "--no-auth", "--port", "0"], { EXP_TOKEN_SECRET: "short" }),
      "EXP9108",
      /EXP_TOKEN_SECRET is 5 bytes long; it needs at least 16/,
    );
  });
});

describe("a missing env: variable", () => {
  test("the publish token of an http target, from exp plan and exp apply", () => {
    const dir = workspace();
    const yaml = join(dir, "exp.yaml");
    writeFileSync(
      yaml,
      readFileSync(yaml, "utf8").replace(
        "publish: {type: directory, path: .exp/published}",
        'publish: {type: http, url: "http://127.0.0.1:9", token: "env:EXP_TEST_PUBLISH_TOKEN"}',
      ),
    );
    const message =
      /"runtime\.publish\.token" reads the environment variable "EXP_TEST_PUBLISH_TOKEN", which is not set; export EXP_TEST_PUBLISH_TOKEN/;
    assertUserError(exp(dir, ["plan"]), "EXP1040", message);
    assertUserError(exp(dir, ["apply", "--auto-approve"]), "EXP1040", message);
  });

  test("the warehouse URL, from exp report, exp analyze and exp power", () => {
    const dir = workspace();
    const missing = /"warehouse\.connections\.prod\.url" reads the environment variable "EXP_PG_URL", which is not set; export EXP_PG_URL/;
    const report = exp(dir, ["report", "checkout_redesign", "--connection", "prod"]);
    assertUserError(report, "EXP1040", missing);
    assert.equal(report.stderr.match(/EXP_PG_URL", which is not set/g)?.length, 1, "the cause is printed once");
    assertUserError(exp(dir, ["analyze", "checkout_redesign", "--connection", "prod"]), "EXP1040", missing);
    assertUserError(exp(dir, ["power", "checkout_redesign", "--from-warehouse", "--connection", "prod"]), "EXP1040", missing);
  });
});

test("exp demo --out a folder that is not empty", () => {
  const dir = workspace();
  assertUserError(
    exp(dir, ["demo", "--out", dir]),
    "EXP9109",
    /the demo folder ".*" is not empty\n  = help: pass --out with a new or empty folder/,
  );
});

test("an --out file in a folder that does not exist", () => {
  const dir = workspace();
  assertUserError(
    exp(dir, ["plan", "--out", "no/such/folder/plan.json"]),
    "EXP9008",
    /cannot write ".*no\/such\/folder\/plan\.json" \(ENOENT\)/,
  );
});

test("with --format json the error is the diagnostics report, on stderr", () => {
  const r = exp(workspace(), ["power", "--baseline", "10%", "--format", "json"]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "");
  assert.deepEqual(JSON.parse(r.stderr), {
    ok: false,
    diagnostics: [
      {
        code: "EXP9001",
        severity: "error",
        message: "exp power needs an experiment, or --baseline and --mde",
        suggestion: "e.g. exp power --baseline 5% --mde 3%",
      },
    ],
  });
});

test("a publish error prints the same from exp apply, exp rollback and exp audit", () => {
  const dir = workspace();
  const yaml = join(dir, "exp.yaml");
  writeFileSync(yaml, readFileSync(yaml, "utf8").replace("publish: {type: directory,", "publish: {type: htp,"));
  const runs = [exp(dir, ["apply", "--auto-approve"]), exp(dir, ["rollback"]), exp(dir, ["audit"])];
  for (const r of runs)
    assertUserError(
      r,
      "EXP4920",
      /"runtime\.publish\.type" in exp\.yaml is "htp"; use "directory", "git" or "http"\n {2}--> exp\.yaml:32:19\n {3}= help: did you mean "http"\?\n$/,
    );
  assert.equal(runs[1]!.stderr, runs[0]!.stderr);
  assert.equal(runs[2]!.stderr, runs[0]!.stderr);
});

test("an internal error says it is a bug, with the stack only under EXP_DEBUG", async () => {
  const { reportFailure } = await import("../../src/cli/run.js");
  const lines: string[] = [];
  const stderr = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream;
  assert.equal(reportFailure(new TypeError("x is undefined"), { stderr, env: {} }), 1);
  assert.match(
    lines.join(""),
    /^internal error: x is undefined\n  \(set EXP_DEBUG=1 for details; this is a bug in exp, please report it\)\n$/,
  );
  lines.length = 0;
  reportFailure(new TypeError("x is undefined"), { stderr, env: { EXP_DEBUG: "1" } });
  assert.match(lines.join(""), /^internal error: x is undefined\nTypeError: x is undefined\n\s+at /);
});
