import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalJson } from "../../src/ruleset/canonical-json.js";
import {
  chainAuditRecord,
  formatAuditLine,
  GENESIS_HASH,
  hashAuditRecord,
  type AuditEntry,
  type AuditRecord,
} from "../../src/plan/audit.js";
import { verifyAuditChain } from "../../src/plan/audit-verify.js";
import { appendAuditEntry } from "../../src/plan/audit-append.js";
import { resolveActor } from "../../src/plan/audit-actor.js";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { PublishError } from "../../src/plan/target/errors.js";

function entry(i: number): AuditEntry {
  return {
    ts: `2026-03-0${i}T10:00:00.000Z`,
    actor: i % 2 ? "alice <alice@example.com>" : "bob",
    sourceCommit: `abc${i}`,
    fromVersion: i === 1 ? null : i - 1,
    toVersion: i,
    action: i === 4 ? "rollback" : "apply",
    summary: `+ create flag f${i} → on`,
  };
}

function chain(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) out.push(chainAuditRecord(out[out.length - 1], entry(i)));
  return out;
}

const text = (records: AuditRecord[]) => records.map(formatAuditLine).join("");

describe("audit chain", () => {
  test("records chain from 64 zeros with consecutive seq", () => {
    const records = chain(3);
    assert.equal(records[0]!.prevHash, GENESIS_HASH);
    assert.equal(GENESIS_HASH, "0".repeat(64));
    assert.deepEqual(
      records.map((r) => r.seq),
      [1, 2, 3],
    );
    assert.equal(records[1]!.prevHash, records[0]!.hash);
    assert.deepEqual(verifyAuditChain(text(records)), { ok: true, count: 3, head: records[2]!.hash });
  });

  test("hash = SHA-256 of sorted-key canonical JSON without `hash`, matching an independent implementation", () => {
    const r = chain(2)[1]!;
    const { hash, ...rest } = r;
    const py = spawnSync(
      "/usr/bin/python3",
      [
        "-c",
        "import sys,json,hashlib; d=json.loads(sys.stdin.read()); print(hashlib.sha256(json.dumps(d,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode()).hexdigest())",
      ],
      { input: JSON.stringify(rest), encoding: "utf8" },
    );
    assert.equal(py.status, 0, py.stderr);
    assert.equal(py.stdout.trim(), hash);
    assert.equal(hashAuditRecord(r), hash);
    assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: null, y: "é" }], c: true } }), '{"a":{"c":true,"d":[2,{"y":"é","z":null}]},"b":1}');
  });

  test("an edited record is named by its own seq", () => {
    const records = chain(5);
    const lines = text(records).split("\n");
    lines[2] = lines[2]!.replace('"actor":"alice <alice@example.com>"', '"actor":"mallory"');
    const v = verifyAuditChain(lines.join("\n"));
    assert.equal(v.ok, false);
    assert.deepEqual(v.ok ? undefined : { seq: v.seq, line: v.line, reason: v.reason }, { seq: 3, line: 3, reason: "hash" });
    assert.match(v.ok ? "" : v.message, /seq 3 .*altered/);
  });

  test("an edited record with a recomputed hash breaks the link of the record after it", () => {
    const records = chain(4);
    const forged = { ...records[1]!, summary: "nothing to see" };
    forged.hash = hashAuditRecord(forged);
    const v = verifyAuditChain(text([records[0]!, forged, records[2]!, records[3]!]));
    assert.deepEqual(v.ok ? undefined : { seq: v.seq, reason: v.reason }, { seq: 3, reason: "prevHash" });
  });

  test("a deleted line is a seq gap at the record after it", () => {
    const records = chain(5);
    const v = verifyAuditChain(text([records[0]!, records[1]!, records[3]!, records[4]!]));
    assert.deepEqual(v.ok ? undefined : { seq: v.seq, line: v.line, reason: v.reason }, { seq: 4, line: 3, reason: "seq" });
    assert.match(v.ok ? "" : v.message, /expected seq 3/);
  });

  test("reordered lines are caught at the first moved record", () => {
    const records = chain(5);
    const v = verifyAuditChain(text([records[0]!, records[2]!, records[1]!, records[3]!, records[4]!]));
    assert.deepEqual(v.ok ? undefined : { seq: v.seq, line: v.line, reason: v.reason }, { seq: 3, line: 2, reason: "seq" });
  });

  test("a truncated last line is reported with its line number", () => {
    const full = text(chain(3));
    const cut = full.slice(0, full.length - 40);
    const v = verifyAuditChain(cut);
    assert.deepEqual(v.ok ? undefined : { line: v.line, reason: v.reason, count: v.count }, { line: 3, reason: "truncated", count: 2 });
    // Even a last line that still parses is a cut-short write when its newline is missing.
    const v2 = verifyAuditChain(full.slice(0, -1));
    assert.deepEqual(v2.ok ? undefined : { line: v2.line, reason: v2.reason }, { line: 3, reason: "truncated" });
  });

  test("an unparsable line in the middle is named by line number", () => {
    const lines = text(chain(3)).split("\n");
    lines.splice(1, 0, "{not json");
    const v = verifyAuditChain(lines.join("\n"));
    assert.deepEqual(v.ok ? undefined : { line: v.line, reason: v.reason, seq: v.seq }, { line: 2, reason: "unparsable", seq: undefined });
  });

  test("a record missing a field is a shape error", () => {
    const records = chain(2);
    const lines = text(records).split("\n");
    const broken = JSON.parse(lines[1]!);
    delete broken.toVersion;
    lines[1] = JSON.stringify(broken);
    const v = verifyAuditChain(lines.join("\n"));
    assert.deepEqual(v.ok ? undefined : { line: v.line, reason: v.reason }, { line: 2, reason: "shape" });
    assert.match(v.ok ? "" : v.message, /toVersion/);
  });

  test("an empty log verifies with zero records", () => {
    assert.deepEqual(verifyAuditChain(""), { ok: true, count: 0, head: GENESIS_HASH });
  });
});

describe("audit chain against its anchor", () => {
  const records = chain(4);
  const at = (seq: number) => ({ seq, hash: seq === 0 ? GENESIS_HASH : records[seq - 1]!.hash });

  test("a log that ends at the anchored head verifies; one record past it is an append cut short", () => {
    assert.deepEqual(verifyAuditChain(text(records), at(4)), { ok: true, count: 4, head: records[3]!.hash, unanchored: 0 });
    assert.deepEqual(verifyAuditChain(text(records), at(3)), { ok: true, count: 4, head: records[3]!.hash, unanchored: 1 });
    assert.deepEqual(verifyAuditChain("", at(0)), { ok: true, count: 0, head: GENESIS_HASH, unanchored: 0 });
  });

  test("a deleted log, removed last records, a rewritten head and injected records are each caught", () => {
    const reasonOf = (v: ReturnType<typeof verifyAuditChain>) => (v.ok ? "ok" : `${v.reason} seq ${v.seq}: ${v.message}`);
    assert.match(
      reasonOf(verifyAuditChain("", at(4))),
      /^anchor seq 4: the log is empty, but the current pointer records that it held 4 record/,
    );
    assert.match(
      reasonOf(verifyAuditChain(text(records.slice(0, 2)), at(4))),
      /^anchor seq 4: the log ends at seq 2, .* 2 record\(s\) were removed/,
    );
    const forged = chainAuditRecord(records[2], { ...entry(4), summary: "rewritten" });
    assert.match(reasonOf(verifyAuditChain(text([...records.slice(0, 3), forged]), at(4))), /^anchor seq 4: .*the log was rewritten/);
    assert.match(reasonOf(verifyAuditChain(text(records), at(2))), /^anchor seq 4: the log holds 2 records after seq 2/);
  });
});

describe("audit append on the directory target", () => {
  test("appends chain, refuse an out-of-sequence record, and refuse to extend a broken log", async () => {
    const work = mkdtempSync(join(tmpdir(), "exp-audit-"));
    try {
      const target = new DirectoryTarget(work);
      const r1 = await appendAuditEntry(target, entry(1));
      const r2 = await appendAuditEntry(target, entry(2));
      assert.equal(r2.prevHash, r1.hash);
      assert.deepEqual(await target.audit(), [r1, r2]);
      await assert.rejects(
        target.appendAudit(chainAuditRecord(r1, entry(3))),
        (e: unknown) => e instanceof PublishError && e.code === "EXP4911",
      );
      const { writeFileSync, readFileSync } = await import("node:fs");
      // Without a published version there is no pointer to anchor the log in.
      assert.equal(await target.auditAnchor(), undefined);
      const path = join(work, "audit.log.jsonl");
      writeFileSync(path, readFileSync(path, "utf8").replace('"bob"', '"eve"'));
      await assert.rejects(
        appendAuditEntry(target, entry(3)),
        (e: unknown) => e instanceof PublishError && e.code === "EXP4910" && /seq 2/.test(e.message),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("actor", () => {
  test("$EXP_ACTOR wins, then the git author, then the OS user", async () => {
    const work = mkdtempSync(join(tmpdir(), "exp-actor-"));
    try {
      assert.equal(await resolveActor(work, { EXP_ACTOR: "ci-bot" }), "ci-bot");
      spawnSync("git", ["init", "-q", work]);
      spawnSync("git", ["-C", work, "config", "user.name", "Ada Lovelace"]);
      spawnSync("git", ["-C", work, "config", "user.email", "ada@example.com"]);
      assert.equal(await resolveActor(work, {}), "Ada Lovelace <ada@example.com>");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const { userInfo } = await import("node:os");
    const outside = mkdtempSync(join(tmpdir(), "exp-actor-none-"));
    try {
      // With no git identity anywhere (HOME points at an empty folder), the OS user is used.
      const env = { HOME: outside, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: join(outside, "none") };
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        assert.equal(await resolveActor(outside, {}), userInfo().username);
      } finally {
        for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
        Object.assign(process.env, saved);
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
