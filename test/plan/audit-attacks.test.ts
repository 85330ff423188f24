// The attacks on the published state that the audit log must catch (issue 10, §3 item 6). Each one is
// made by hand on a workspace that three real applies published, then checked through the commands
// a user runs: `exp audit verify`, `exp apply` and `exp rollback`.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chainAuditRecord, type AuditRecord } from "../../src/plan/audit.js";
import { rulesetChecksum, rulesetContentChecksum } from "../../src/ruleset/checksum.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { exampleRepo, exp, git } from "../helpers/workspace.js";

const STATE = join(".exp", "published");
let base: string;

/** Gives the winter banner another title, which changes the ruleset. */
function retitle(dir: string, title: string): void {
  const flag = join(dir, "flags", "holiday_banner.yaml");
  writeFileSync(flag, readFileSync(flag, "utf8").replace(/title: [^,]+,/, `title: ${title},`));
}

/** The example workspace with versions 1–3 applied from three commits (the banner's title changes). */
function publishedThrice(): string {
  const dir = exampleRepo("exp-attack-");
  for (let v = 1; v <= 3; v++) {
    if (v > 1) {
      retitle(dir, `Winter sale ${v}`);
      git(dir, "commit", "-qam", `revision ${v}`);
    }
    const r = exp(dir, ["apply", "--auto-approve", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).toVersion, v);
  }
  return dir;
}

/** A fresh copy of the published workspace for one attack. */
function victim(): string {
  const dir = mkdtempSync(join(tmpdir(), "exp-victim-"));
  cpSync(base, dir, { recursive: true });
  return dir;
}

const logPath = (dir: string) => join(dir, STATE, "audit.log.jsonl");
const logLines = (dir: string) => readFileSync(logPath(dir), "utf8").split("\n").filter(Boolean);
const currentVersion = (dir: string) => (JSON.parse(readFileSync(join(dir, STATE, "current"), "utf8")) as { version: number }).version;

before(() => {
  base = publishedThrice();
});
after(() => rmSync(base, { recursive: true, force: true }));

describe("attacks on the audit log", () => {
  test("the untouched state verifies, anchored by the current pointer", () => {
    const r = exp(base, ["audit", "verify"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /3 record\(s\), chain verified \(head [0-9a-f]{12}, anchored by the current pointer\)/);
  });

  test("rm audit.log.jsonl: verify fails, and apply and rollback refuse", () => {
    const dir = victim();
    try {
      unlinkSync(logPath(dir));
      const r = exp(dir, ["audit", "verify"]);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stdout, /the log is empty, but the current pointer records that it held 3 record\(s\)/);
      const json = JSON.parse(exp(dir, ["audit", "verify", "--format", "json"]).stdout);
      assert.deepEqual([json.ok, json.reason, json.seq], [false, "anchor", 3]);
      const rollback = exp(dir, ["rollback"]);
      assert.equal(rollback.status, 1);
      assert.match(rollback.stderr, /^error\[EXP4910\]: the audit log is broken, refusing to roll back: the log is empty/m);
      retitle(dir, "After the attack");
      const apply = exp(dir, ["apply", "--auto-approve"]);
      assert.equal(apply.status, 1);
      assert.match(apply.stderr, /error\[EXP4910\]: the audit log is broken, refusing to apply/);
      assert.equal(currentVersion(dir), 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const forged of ["no anchor", "anchor at seq 0"]) {
    test(`rm audit.log.jsonl with the pointer's anchor forged (${forged}): verify still fails on the unrecorded versions`, () => {
      const dir = victim();
      try {
        const pointerPath = join(dir, STATE, "current");
        const pointer = JSON.parse(readFileSync(pointerPath, "utf8")) as Record<string, unknown>;
        if (forged === "no anchor") delete pointer.audit;
        else pointer.audit = { seq: 0, hash: "0".repeat(64) };
        writeFileSync(pointerPath, JSON.stringify(pointer));
        unlinkSync(logPath(dir));
        const r = exp(dir, ["audit", "verify"]);
        assert.equal(r.status, 1, r.stdout);
        assert.match(r.stdout, /version 1 in .* has no audit record that made it current: the log was deleted or rewritten/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  for (const removed of [1, 2]) {
    test(`deleting the last ${removed} record(s) is detected`, () => {
      const dir = victim();
      try {
        const kept = logLines(dir).slice(0, 3 - removed);
        writeFileSync(logPath(dir), kept.map((l) => `${l}\n`).join(""));
        const r = exp(dir, ["audit", "verify"]);
        assert.equal(r.status, 1, r.stdout);
        assert.match(
          r.stdout,
          new RegExp(
            `the log ends at seq ${3 - removed}, but the current pointer records seq 3 as its head: ${removed} record\\(s\\) were removed`,
          ),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  // Moving a line breaks its seq and prevHash (audit.test.ts), but the chain has no secret: whoever
  // can edit the log can renumber and rehash it so that it links again. Only the head anchored in
  // the current pointer tells.
  test("reordered records with the chain recomputed are detected, and apply refuses", () => {
    const dir = victim();
    try {
      const [a, b, c] = logLines(dir).map((l) => JSON.parse(l) as AuditRecord);
      const rechained: AuditRecord[] = [];
      for (const { seq: _seq, prevHash: _prev, hash: _hash, ...entry } of [a!, c!, b!])
        rechained.push(chainAuditRecord(rechained.at(-1), entry));
      writeFileSync(logPath(dir), rechained.map((r) => `${JSON.stringify(r)}\n`).join(""));
      const r = exp(dir, ["audit", "verify", "--format", "json"]);
      assert.equal(r.status, 1, r.stdout);
      const verdict = JSON.parse(r.stdout) as { reason: string; seq: number; message: string };
      assert.deepEqual([verdict.reason, verdict.seq], ["anchor", 3]);
      assert.match(verdict.message, /record seq 3 is not the head the current pointer records \(its hash differs\): the log was rewritten/);
      retitle(dir, "After the attack");
      const apply = exp(dir, ["apply", "--auto-approve"]);
      assert.equal(apply.status, 1);
      assert.match(apply.stderr, /error\[EXP4910\]: the audit log is broken, refusing to apply: record seq 3 is not the head/);
      assert.equal(currentVersion(dir), 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a version file edited with a recomputed checksum is detected, and rollback refuses it", () => {
    const dir = victim();
    try {
      const file = join(dir, STATE, "ruleset.v1.json");
      const ruleset = JSON.parse(readFileSync(file, "utf8")) as Ruleset;
      const flag = Object.values(ruleset.flags)[0]!;
      flag.enabled = !flag.enabled;
      const { checksum: _old, ...body } = ruleset;
      ruleset.checksum = rulesetChecksum(body);
      writeFileSync(file, `${JSON.stringify(ruleset, null, 2)}\n`);

      const r = exp(dir, ["audit", "verify"]);
      assert.equal(r.status, 1, r.stdout);
      assert.match(
        r.stdout,
        /a stored version fails verification at line 1 \(seq 1\): version 1 in directory \.exp\/published is not the ruleset that audit record seq 1 made current/,
      );
      const rollback = exp(dir, ["rollback", "--to", "1"]);
      assert.equal(rollback.status, 1);
      assert.match(
        rollback.stderr,
        /^error\[EXP4904\]: version 1 in directory \.exp\/published is not the ruleset that audit record seq 1/m,
      );
      assert.equal(currentVersion(dir), 3, "the tampered version was not made current");
      // An untouched version still rolls back.
      const ok = exp(dir, ["rollback", "--to", "2"]);
      assert.equal(ok.status, 0, ok.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an apply from a dirty tree", () => {
  test("is recorded as dirty, with the content checksum of what was published", () => {
    const dir = victim();
    try {
      const records = () => (JSON.parse(exp(dir, ["audit", "--format", "json"]).stdout) as { records: Record<string, unknown>[] }).records;
      assert.equal(records()[2]!.dirty, false, "a clean apply says so");
      retitle(dir, "Not committed");
      const planned = JSON.parse(exp(dir, ["plan", "--format", "json"]).stdout) as { desiredChecksum: string };
      const r = exp(dir, ["apply", "--auto-approve"]);
      assert.equal(r.status, 0, r.stderr);
      const head = git(dir, "rev-parse", "HEAD").trim();
      const last = records().at(-1)!;
      assert.deepEqual([last.sourceCommit, last.dirty, last.contentChecksum], [head, true, planned.desiredChecksum]);
      const published = JSON.parse(readFileSync(join(dir, STATE, "ruleset.v4.json"), "utf8")) as Ruleset;
      assert.equal(rulesetContentChecksum(published), planned.desiredChecksum);
      assert.equal(exp(dir, ["audit", "verify"]).status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
