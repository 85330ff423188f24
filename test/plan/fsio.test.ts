import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTextIfExists, sweepTempFiles, writeFileAtomic } from "../../src/fsio/atomic.js";
import { renderRecords } from "../../src/cli/audit.js";
import { chainAuditRecord } from "../../src/plan/audit.js";

test("writeFileAtomic replaces content and leaves no temp file; sweep removes only old temp files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-fsio-"));
  try {
    const file = join(dir, "current");
    assert.equal(await readTextIfExists(file), undefined);
    await writeFileAtomic(file, "one\n");
    await writeFileAtomic(file, "two\n");
    assert.equal(readFileSync(file, "utf8"), "two\n");
    assert.deepEqual(readdirSync(dir), ["current"]);
    writeFileSync(join(dir, ".current.123.ab.tmp"), "old");
    writeFileSync(join(dir, ".current.456.cd.tmp"), "fresh");
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(join(dir, ".current.123.ab.tmp"), old, old);
    assert.equal(await sweepTempFiles(dir, 60_000), 1);
    assert.deepEqual(readdirSync(dir).sort(), [".current.456.cd.tmp", "current"]);
    await assert.rejects(writeFileAtomic(join(dir, "missing", "x"), "y"), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the audit listing renders the same rows as text, markdown and JSON", () => {
  const r1 = chainAuditRecord(undefined, {
    ts: "2026-02-01T09:30:00.000Z",
    actor: "alice",
    sourceCommit: "abc",
    fromVersion: null,
    toVersion: 1,
    action: "apply",
    summary: "a | b",
  });
  const r2 = chainAuditRecord(r1, {
    ts: "2026-02-02T09:30:00.000Z",
    actor: "bob",
    sourceCommit: "abd",
    fromVersion: 1,
    toVersion: 2,
    action: "apply",
    summary: "+ create flag x",
  });
  assert.equal(
    renderRecords([r1, r2], "text"),
    [
      "seq  time                  actor  from → to  action  summary",
      "1    2026-02-01 09:30:00Z  alice  – → 1      apply   a | b",
      "2    2026-02-02 09:30:00Z  bob    1 → 2      apply   + create flag x",
      "",
    ].join("\n"),
  );
  assert.equal(
    renderRecords([r1], "markdown"),
    [
      "| seq | time | actor | from → to | action | summary |",
      "|---|---|---|---|---|---|",
      "| 1 | 2026-02-01 09:30:00Z | alice | – → 1 | apply | a \\| b |",
      "",
    ].join("\n"),
  );
  assert.deepEqual(JSON.parse(renderRecords([r1, r2], "json")).records, [r1, r2]);
  assert.equal(renderRecords([], "text"), "the audit log is empty\n");
});
