import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertWellFormed, copyExample, REPO, workspaceFiles } from "./fuzz-support.js";
import { materializeCase } from "./fixture-tree.js";
import { mutate, rng } from "./mutate.js";

// Runs the built CLI (bin/exp → dist/); build first with `npm run build`.
const BIN = join(REPO, "bin/exp");

function exp(args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("exp validate / exp fmt through bin/exp", () => {
  test("the example workspace is valid: exact JSON and exit 0", () => {
    const r = exp(["validate", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '{"ok":true,"diagnostics":[]}\n');
    const t = exp(["validate"]);
    assert.equal(t.code, 0);
    assert.match(t.stdout, /^workspace "shop" is valid \(8 experiments, 11 metrics, 5 flags, 4 segments\)\n$/);
  });

  test("a broken workspace: caret snippet, help line, summary, exit 1", () => {
    const dir = materializeCase("ref_unknown_metric");
    try {
      const r = exp(["validate", "--dir", dir]);
      assert.equal(r.code, 1);
      assert.equal(
        r.stdout,
        [
          'error[EXP3001]: unknown metric "conversoin"; add metrics/<name>.yaml or fix the name',
          "  --> experiments/checkout.yaml:10:13",
          "   |",
          "10 |   primary: [conversoin]",
          "   |             ^^^^^^^^^^",
          '   = help: did you mean "conversion"?',
          "",
          "1 error",
          "",
        ].join("\n"),
      );
      assert.equal(r.stderr, "");
      const j = exp(["validate", "--dir", dir, "--format", "json"]);
      assert.equal(j.code, 1);
      assert.deepEqual(JSON.parse(j.stdout), {
        ok: false,
        diagnostics: [
          {
            code: "EXP3001",
            severity: "error",
            message: 'unknown metric "conversoin"; add metrics/<name>.yaml or fix the name',
            file: "experiments/checkout.yaml",
            line: 10,
            column: 13,
            endLine: 10,
            endColumn: 23,
            suggestion: 'did you mean "conversion"?',
          },
        ],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("colour only on a TTY: piped output has no escape codes even without NO_COLOR", () => {
    const dir = materializeCase("ref_unknown_metric");
    try {
      const r = exp(["validate", "--dir", dir], REPO, { NO_COLOR: "" });
      assert.doesNotMatch(r.stdout, /\x1b\[/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("validate finds exp.yaml upward from a subfolder", () => {
    const r = exp(["validate", "--format", "json"], join(REPO, "experiments"));
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '{"ok":true,"diagnostics":[]}\n');
  });

  test("no workspace: EXP1001, exit 1, no stack trace", () => {
    const r = exp(["validate", "--format", "json", "--dir", "/"]);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).diagnostics[0].code, "EXP1001");
    assert.doesNotMatch(r.stdout + r.stderr, /\bat .*\.js:\d+/);
  });

  test("unknown command, unknown option and bad format exit 1 with a message", () => {
    for (const args of [["valdate"], ["validate", "--bogus"], ["validate", "--format", "xml"], ["fmt", "--chek"]]) {
      const r = exp(args);
      assert.equal(r.code, 1, args.join(" "));
      assert.match(r.stderr, /unknown|error/i, args.join(" "));
      assert.equal(r.stdout, "");
    }
  });

  test("fmt --check on the example changes nothing; fmt rewrites a messy file once, keeping comments", () => {
    const check = exp(["fmt", "--check"]);
    assert.equal(check.code, 0, check.stdout);
    const dir = copyExample();
    try {
      const path = join(dir, "metrics/top5_ctr.yaml");
      writeFileSync(
        path,
        "# why: search team's north star\nexpr: count(click where position<=5)/count(impression)   # numerator first\nmetric: top5_ctr\n",
      );
      const c = exp(["fmt", "--check", "--dir", dir]);
      assert.equal(c.code, 1);
      assert.match(c.stdout, /would reformat metrics\/top5_ctr\.yaml/);
      assert.match(readFileSync(path, "utf8"), /^# why/);
      const w = exp(["fmt", "--dir", dir]);
      assert.equal(w.code, 0, w.stdout);
      assert.equal(
        readFileSync(path, "utf8"),
        "# why: search team's north star\nmetric: top5_ctr\nexpr: count(click where position <= 5) / count(impression) # numerator first\n",
      );
      assert.equal(exp(["fmt", "--check", "--dir", dir]).code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("fmt never writes a file with errors", () => {
    const dir = copyExample();
    try {
      const path = join(dir, "metrics/top5_ctr.yaml");
      const broken = "expr: count(clik)/count(impression)\nmetric: top5_ctr\n";
      writeFileSync(path, broken);
      const r = exp(["fmt", "--dir", dir]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /skipped metrics\/top5_ctr\.yaml/);
      assert.equal(readFileSync(path, "utf8"), broken);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a handful of fuzzed workspaces through the real CLI: exit 0/1 and JSON on stdout", () => {
    const seed = Number(process.env.EXP_FUZZ_SEED ?? 4242);
    const random = rng(seed);
    const dir = copyExample();
    try {
      const files = workspaceFiles(dir);
      for (let i = 0; i < 4; i++) {
        const file = files[Math.floor(random() * files.length)]!;
        const original = readFileSync(join(dir, file));
        const m = mutate(original, random);
        writeFileSync(join(dir, file), m.bytes);
        const r = exp(["validate", "--dir", dir, "--format", "json"]);
        assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}`);
        assertWellFormed(r.stdout, r.code!, dir, `cli case ${i} (seed ${seed}) ${file}: ${m.what}`);
        writeFileSync(join(dir, file), original);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
