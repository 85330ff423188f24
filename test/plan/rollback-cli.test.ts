import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { appendAuditEntry } from "../../src/plan/audit-append.js";
import { rollback } from "../../src/plan/rollback.js";
import { PublishError } from "../../src/plan/target/errors.js";
import { parsePublishConfig } from "../../src/plan/target/config.js";
import { verifyAuditChain } from "../../src/plan/audit-verify.js";
import { makeCompiledRuleset } from "./ruleset-fixture.js";
import { Worker } from "node:worker_threads";

const expScript = fileURLToPath(new URL("./child/exp.ts", import.meta.url));
// Resolved here because the commands run with their cwd in a temp workspace, outside node_modules' reach.
const tsxLoader = import.meta.resolve("tsx");
const tsxApi = import.meta.resolve("tsx/esm/api");

/** Runs the command line in a separate process: the real exit code and stderr, for the error paths. */
function expProcess(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsxLoader, expScript, ...args], {
      cwd,
      env: { ...process.env, EXP_DEBUG: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** One worker runs every in-process command line of this file (see child/exp-worker.ts). */
let worker: Worker | undefined;
function exp(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // A .ts entry cannot be a Worker's filename, so a small script registers tsx and imports it.
  const entry = new URL("./child/exp-worker.ts", import.meta.url).href;
  worker ??= new Worker(
    `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`,
    { eval: true, stdout: true, stderr: true },
  );
  const w = worker;
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    w.once("error", onError);
    w.once("message", (m) => {
      w.off("error", onError);
      resolve(m);
    });
    w.postMessage({ args, env });
  });
}
after(() => worker?.terminate());

/** A workspace with three applies already published and audited. */
async function workspace(publishYaml = ""): Promise<{ root: string; target: DirectoryTarget }> {
  const root = mkdtempSync(join(tmpdir(), "exp-ws-"));
  writeFileSync(join(root, "exp.yaml"), `version: 1\nproject: shop\nunits: [user]\n${publishYaml}`);
  const target = new DirectoryTarget(join(root, ".exp", "published"));
  let prev: { version: number; checksum: string } | undefined;
  for (let v = 1; v <= 3; v++) {
    prev = await target.publish(makeCompiledRuleset(v), { expectedVersion: prev?.version, expectedChecksum: prev?.checksum });
    await appendAuditEntry(target, {
      ts: `2026-04-0${v}T12:00:00.000Z`,
      actor: "alice",
      sourceCommit: `c${v}`,
      fromVersion: v === 1 ? null : v - 1,
      toVersion: v,
      action: "apply",
      summary: `+ create flag f${v}`,
    });
  }
  return { root, target };
}

describe("rollback (library)", () => {
  test("default goes to the version below current; --to picks any stored one; both are audited", async () => {
    const { root, target } = await workspace();
    try {
      const first = await rollback(target, { actor: "oncall", now: new Date("2026-04-10T00:00:00Z") });
      assert.deepEqual([first.from.version, first.to.version, first.to.sourceCommit], [3, 2, makeCompiledRuleset(2).sourceCommit]);
      assert.equal((await target.current())?.version, 2);
      const second = await rollback(target, { actor: "oncall", to: 3 });
      assert.equal(second.to.version, 3);
      const records = await target.audit();
      assert.deepEqual(
        records.slice(3).map((r) => [r.seq, r.action, r.fromVersion, r.toVersion, r.actor]),
        [
          [4, "rollback", 3, 2, "oncall"],
          [5, "rollback", 2, 3, "oncall"],
        ],
      );
      assert.ok(verifyAuditChain(await target.auditText()).ok);
      await assert.rejects(
        rollback(target, { actor: "x", to: 3 }),
        (e: unknown) => e instanceof PublishError && /already current/.test(e.message),
      );
      await assert.rejects(
        rollback(target, { actor: "x", to: 7 }),
        (e: unknown) => e instanceof PublishError && e.code === "EXP4906" && /did you mean 3\?/.test(e.hint ?? ""),
      );
      await rollback(target, { actor: "x", to: 1 });
      await assert.rejects(rollback(target, { actor: "x" }), (e: unknown) => e instanceof PublishError && e.code === "EXP4907");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("rollback default target", () => {
  test("skips a version that an interrupted publish wrote but never served, and never swings back up", async () => {
    const { root, target } = await workspace();
    try {
      // v4 was written but the publisher died before moving current; v5 was published from v3.
      await target.publish(makeCompiledRuleset(4), { expectedVersion: 3, expectedChecksum: makeCompiledRuleset(3).checksum });
      await target.activate(3, { expectedVersion: 4, expectedChecksum: makeCompiledRuleset(4).checksum });
      await target.publish(makeCompiledRuleset(5), { expectedVersion: 3, expectedChecksum: makeCompiledRuleset(3).checksum });
      await appendAuditEntry(target, {
        ts: "2026-04-05T00:00:00.000Z",
        actor: "alice",
        sourceCommit: "c5",
        fromVersion: 3,
        toVersion: 5,
        action: "apply",
        summary: "~ update",
      });
      assert.equal((await rollback(target, { actor: "oncall" })).to.version, 3);
      assert.equal((await rollback(target, { actor: "oncall" })).to.version, 2);
      assert.equal((await rollback(target, { actor: "oncall" })).to.version, 1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("exp.yaml runtime.publish", () => {
  test("defaults to .exp/published; a misspelt type gets a span and a did-you-mean", () => {
    assert.deepEqual(parsePublishConfig("version: 1\n"), { type: "directory", path: ".exp/published" });
    assert.deepEqual(parsePublishConfig("runtime:\n  publish: { type: directory, path: state/pub }\n"), {
      type: "directory",
      path: "state/pub",
    });
    assert.deepEqual(parsePublishConfig("runtime:\n  publish: { type: http, url: 'http://x:1', token: 'env:T' }\n"), {
      type: "http",
      url: "http://x:1",
      token: "env:T",
    });
    assert.throws(
      () => parsePublishConfig("version: 1\nruntime:\n  publish:\n    type: directry\n"),
      (e: unknown) => {
        assert.ok(e instanceof PublishError);
        const d = e.diagnostic;
        assert.deepEqual(
          [d.code, d.span?.line, d.span?.column, d.span?.endColumn, d.suggestion],
          ["EXP4920", 4, 11, 19, 'did you mean "directory"?'],
        );
        return true;
      },
    );
    assert.throws(() => parsePublishConfig("runtime:\n  publish: { type: http }\n"), /has type "http" but no "url"/);
  });
});

describe("exp audit / exp rollback (command line)", () => {
  let root: string;
  before(async () => {
    ({ root } = await workspace());
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test("exp audit lists records as a table and as JSON; verify exits 0", async () => {
    const sub = join(root, "experiments");
    mkdirSync(sub);
    const table = await exp(["audit", "--dir", sub]); // finds exp.yaml upward
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^seq\s+time\s+actor\s+from → to\s+action\s+summary$/);
    assert.match(lines[1]!, /^1\s+2026-04-01 12:00:00Z\s+alice\s+– → 1\s+apply\s+\+ create flag f1$/);
    assert.equal(lines.length, 4);
    const json = await exp(["audit", "--format", "json", "--dir", root]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      JSON.parse(json.stdout).records.map((r: { toVersion: number }) => r.toVersion),
      [1, 2, 3],
    );
    const ok = await exp(["audit", "verify", "--dir", root]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /3 record\(s\), chain verified/);
    assert.doesNotMatch(ok.stdout, /note:/);
  });

  test("exp rollback re-points current and audits; exp audit verify then catches an edit by seq", async () => {
    const r = await exp(["rollback", "--dir", root], { EXP_ACTOR: "pager-bot" });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /version 3 → 2 \(audit seq 4\)/);
    assert.match(r.stdout, /exp plan will report drift/);
    const target = new DirectoryTarget(join(root, ".exp", "published"));
    assert.equal((await target.current())?.version, 2);
    assert.equal((await target.audit()).at(-1)?.actor, "pager-bot");

    const json = await exp(["rollback", "--to", "3", "--format", "json", "--dir", root], { EXP_ACTOR: "pager-bot" });
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual([JSON.parse(json.stdout).fromVersion, JSON.parse(json.stdout).toVersion], [2, 3]);

    const bad = await exp(["rollback", "--to", "9", "--dir", root]);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /^error\[EXP4906\]: version 9 is not stored in directory \.exp\/published\n  = help: stored versions: 1, 2, 3; did you mean 3\?\n$/,
    );

    const log = join(root, ".exp", "published", "audit.log.jsonl");
    writeFileSync(log, readFileSync(log, "utf8").replace('"summary":"+ create flag f2"', '"summary":"+ create flag f9"'));
    const broken = await exp(["audit", "verify", "--dir", root]);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /chain broken at line 2 \(seq 2\): record seq 2 \(line 2\) was altered/);
    const brokenJson = await exp(["audit", "verify", "--format", "json", "--dir", root]);
    assert.equal(brokenJson.code, 1);
    assert.deepEqual(JSON.parse(brokenJson.stdout).seq, 2);
    // A broken chain blocks further rollbacks rather than burying the edit under new links.
    const refused = await exp(["rollback", "--dir", root]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /error\[EXP4910\]: .*audit log is broken/);
  });

  test("exp rollback refuses a stored version that fails the compiler's verification", async () => {
    const ws = await workspace();
    try {
      // A publish whose audit record never got written: verify passes but points out the lag.
      await ws.target.publish(makeCompiledRuleset(4), { expectedVersion: 3, expectedChecksum: makeCompiledRuleset(3).checksum });
      const lag = await exp(["audit", "verify", "--format", "json", "--dir", ws.root]);
      assert.equal(lag.code, 0);
      assert.deepEqual([JSON.parse(lag.stdout).currentVersion, JSON.parse(lag.stdout).lastRecordedVersion], [4, 3]);
      assert.match((await exp(["audit", "verify", "--dir", ws.root])).stdout, /note: version 4 is current but the last record names 3/);
      await ws.target.activate(3, { expectedVersion: 4, expectedChecksum: makeCompiledRuleset(4).checksum });
      const file = join(ws.root, ".exp", "published", "ruleset.v1.json");
      writeFileSync(file, readFileSync(file, "utf8").replace('"country": "string"', '"country": "number"'));
      const r = await exp(["rollback", "--to", "1", "--dir", ws.root]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error\[EXP4904\]: ".*ruleset\.v1\.json" failed verification: .*checksum/);
      assert.equal((await ws.target.current())?.version, 3);
    } finally {
      rmSync(ws.root, { recursive: true, force: true });
    }
  });

  test("user mistakes print one line and no stack trace", async () => {
    const empty = mkdtempSync(join(tmpdir(), "exp-none-"));
    try {
      const none = await expProcess(["audit"], empty);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /^error\[EXP1001\]: no exp\.yaml found in ".*" or any folder above it\n/);
      assert.doesNotMatch(none.stderr, /\n\s+at /);
      const typo = await exp(["audit", "verfy", "--dir", root]);
      assert.equal(typo.code, 1);
      assert.match(typo.stderr, /error\[EXP9010\]: unknown audit subcommand "verfy"\n  = help: did you mean "verify"\?/);
      const to = await exp(["rollback", "--to", "two", "--dir", root]);
      assert.match(to.stderr, /--to needs a positive whole number, not "two"/);
      writeFileSync(join(empty, "exp.yaml"), "runtime:\n  publish: { type: htp, url: 'http://x' }\n");
      const cfg = await exp(["audit", "--dir", empty]);
      assert.equal(cfg.code, 1);
      assert.match(
        cfg.stderr,
        /^error\[EXP4920\]: "runtime\.publish\.type" in exp\.yaml is "htp"; use "directory", "git" or "http"\n --> exp\.yaml:2:20\n  = help: did you mean "http"\?\n$/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
