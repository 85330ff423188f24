import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadWorkspace } from "../../src/workspace/load.js";
import { MAX_FILE_BYTES, readCapped } from "../../src/workspace/read.js";
import { workspaceFromTree } from "./fixture-tree.js";

/*
 * The loader reads only workspace YAML (docs/workspace.md "Files"): a link that leaves the workspace,
 * or that lands on a hidden path or a file that is not .yaml, is refused before it is opened, and a
 * pipe or a device is never read. None of the refused file's text may reach a diagnostic, in any
 * output format: plan-on-pr posts them to the pull request.
 */

const BIN = new URL("../../bin/exp", import.meta.url).pathname;
const SECRET = "ghs_0123456789abcdefSECRET";

function validate(dir: string, format: "text" | "json"): { status: number | null; stdout: string; stderr: string } {
  // No time limit: a read that hangs is stopped by the test runner's timeout (scripts/run-tests.mjs).
  const r = spawnSync(process.execPath, [BIN, "validate", "--dir", dir, "--format", format], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function codes(stdout: string): string[] {
  return (JSON.parse(stdout) as { diagnostics: { code: string; file?: string }[] }).diagnostics.map((d) => `${d.code} ${d.file}`);
}

/** A workspace in `<tmp>/ws` next to `<tmp>/outside`, which holds files that must never be read. */
function workspaceWithOutside(): { ws: string; outside: string; done: () => void } {
  const top = mkdtempSync(join(tmpdir(), "exp-contain-"));
  const ws = join(top, "ws");
  const outside = join(top, "outside");
  mkdirSync(outside);
  const made = workspaceFromTree({});
  execFileSync("cp", ["-R", made, ws]);
  rmSync(made, { recursive: true, force: true });
  return { ws, outside, done: () => rmSync(top, { recursive: true, force: true }) };
}

describe("files outside the workspace are never read", () => {
  test("a layers.yaml link to a secret outside: refused, and the secret is in no output", () => {
    const { ws, outside, done } = workspaceWithOutside();
    try {
      writeFileSync(join(outside, "secret.yaml"), `token: ${SECRET}\nlayers: {checkout: {}}\n`);
      rmSync(join(ws, "layers.yaml"));
      symlinkSync(join(outside, "secret.yaml"), join(ws, "layers.yaml"));
      const json = validate(ws, "json");
      assert.equal(json.status, 1);
      assert.ok(codes(json.stdout).includes("EXP1012 layers.yaml"), json.stdout);
      const text = validate(ws, "text");
      for (const out of [json.stdout, json.stderr, text.stdout, text.stderr]) assert.ok(!out.includes(SECRET), out);
    } finally {
      done();
    }
  });

  test("exp.yaml linked to .git/config inside the workspace: refused, the checkout token is in no output", () => {
    const { ws, done } = workspaceWithOutside();
    try {
      mkdirSync(join(ws, ".git"));
      writeFileSync(join(ws, ".git", "config"), `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`);
      rmSync(join(ws, "exp.yaml"));
      symlinkSync(".git/config", join(ws, "exp.yaml"));
      const json = validate(ws, "json");
      assert.deepEqual(codes(json.stdout), ["EXP1012 exp.yaml"]);
      const text = validate(ws, "text");
      for (const out of [json.stdout, text.stdout, text.stderr]) assert.ok(!out.includes(SECRET), out);
    } finally {
      done();
    }
  });

  test("a link to a file that is not .yaml, even inside the workspace, is refused", async () => {
    const dir = workspaceFromTree({ "notes/conversion.txt": "metric: conversion\nexpr: any(purchase)\n" });
    try {
      symlinkSync("../notes/conversion.txt", join(dir, "metrics", "linked.yaml"));
      const r = await loadWorkspace(dir);
      assert.deepEqual(
        r.diagnostics.map((d) => `${d.code} ${d.span?.file}`),
        ["EXP1012 metrics/linked.yaml"],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a metrics/ folder that is a link to a folder outside is not followed", async () => {
    const { ws, outside, done } = workspaceWithOutside();
    try {
      mkdirSync(join(outside, "metrics"));
      writeFileSync(join(outside, "metrics", "stolen.yaml"), `metric: stolen\nexpr: any(purchase)\ndescription: ${SECRET}\n`);
      rmSync(join(ws, "metrics"), { recursive: true });
      symlinkSync(join(outside, "metrics"), join(ws, "metrics"));
      const r = await loadWorkspace(ws);
      assert.ok(
        r.diagnostics.some((d) => d.code === "EXP1012" && d.span?.file === "metrics/"),
        JSON.stringify(r.diagnostics),
      );
      assert.equal(r.value?.metrics.has("stolen"), false);
      assert.ok(![...(r.value?.files.values() ?? [])].some((f) => f.text.includes(SECRET)));
    } finally {
      done();
    }
  });

  test("links that stay inside the workspace and land on YAML are read", async () => {
    const dir = workspaceFromTree({ "library/revenue_copy.yaml": "metric: revenue_copy\nexpr: sum(purchase.revenue)\n" });
    try {
      symlinkSync("../library/revenue_copy.yaml", join(dir, "metrics", "revenue_copy.yaml"));
      const r = await loadWorkspace(dir);
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.value?.metrics.get("revenue_copy")?.exprText, "sum(purchase.revenue)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("files that are not regular files are never read", () => {
  test("exp.yaml linked to /dev/zero is refused without reading", () => {
    const { ws, done } = workspaceWithOutside();
    try {
      rmSync(join(ws, "exp.yaml"));
      symlinkSync("/dev/zero", join(ws, "exp.yaml"));
      const r = validate(ws, "json");
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(codes(r.stdout), ["EXP1012 exp.yaml"]);
    } finally {
      done();
    }
  });

  test("a named pipe as layers.yaml, and a link to one, are reported instead of waiting for a writer", () => {
    const { ws, done } = workspaceWithOutside();
    try {
      rmSync(join(ws, "layers.yaml"));
      execFileSync("mkfifo", [join(ws, "layers.yaml")]);
      execFileSync("mkfifo", [join(ws, "segments", "pipe_target.yaml")]);
      symlinkSync("../segments/pipe_target.yaml", join(ws, "metrics", "piped.yaml"));
      const r = validate(ws, "json");
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(codes(r.stdout).sort(), [
        "EXP1013 layers.yaml",
        "EXP1013 metrics/piped.yaml",
        "EXP1013 segments/pipe_target.yaml",
        // The experiment in the fixture names layer "checkout", which lived in the pipe.
        "EXP3002 experiments/checkout.yaml",
      ]);
    } finally {
      done();
    }
  });

  test("reading stops at the size limit, not at the end of an endless file", () => {
    const fd = openSync("/dev/zero", "r");
    try {
      assert.equal(readCapped(fd, MAX_FILE_BYTES), undefined);
    } finally {
      closeSync(fd);
    }
  });
});
