import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { Writable } from "node:stream";
import { locateWorkspace } from "../../src/app/load-workspace.js";
import { ExpError } from "../../src/diagnostics/errors.js";
import { loadWorkspaceOrExit, parseFormat } from "../../src/cli/shared.js";
import { runValidate } from "../../src/cli/validate.js";
import { REPO } from "./fuzz-support.js";
import { materializeCase, workspaceFromTree } from "./fixture-tree.js";

function sink() {
  let text = "";
  const stream = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) });
  return { stream, text: () => text };
}

describe("shared command helpers", () => {
  test("loadWorkspaceOrExit returns the workspace and prints warnings to stderr", async () => {
    const dir = workspaceFromTree({ "metrics/extra.yml": "metric: extra\n" });
    try {
      const err = sink();
      const ws = await loadWorkspaceOrExit({ dir }, { stderr: err.stream });
      assert.equal(ws.settings.project, "fixture");
      assert.match(err.text(), /^warning\[EXP1010\]/);
      assert.match(err.text(), /1 warning\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("loadWorkspaceOrExit fails with a user error (exit 1) after printing the errors", async () => {
    const dir = materializeCase("ref_unknown_layer");
    try {
      const err = sink();
      await assert.rejects(
        loadWorkspaceOrExit({ dir }, { stderr: err.stream }),
        (e: unknown) => e instanceof ExpError && e.exitCode === 1 && /1 error/.test(e.message),
      );
      assert.match(err.text(), /error\[EXP3002\]: unknown layer "chekout"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("formats and workspace location", () => {
    assert.equal(parseFormat(undefined), "text");
    assert.equal(parseFormat("markdown"), "markdown");
    assert.throws(
      () => parseFormat("jsn"),
      (e: unknown) => e instanceof ExpError && e.diagnostic.suggestion === 'did you mean "json"?',
    );
    assert.equal(locateWorkspace(undefined, `${REPO}metrics`).root, REPO.replace(/\/$/, ""));
    assert.equal(locateWorkspace(undefined, "/").diagnostics[0]!.code, "EXP1001");
  });

  test("validate --format markdown", async () => {
    const dir = materializeCase("ref_unknown_metric");
    try {
      const r = await runValidate({ dir, format: "markdown" });
      assert.equal(r.exitCode, 1);
      assert.match(r.stdout, /^- ❌ \*\*EXP3001\*\* `experiments\/checkout\.yaml:10:13` unknown metric "conversoin"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
