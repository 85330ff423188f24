import { describe, test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { PublishError } from "../../src/plan/target/errors.js";
import { makeRuleset, verifyFixture } from "./ruleset-fixture.js";

let work: string;
let dir: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "exp-dirtarget-"));
  dir = join(work, ".exp", "published");
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function rejects(code: string, pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof PublishError, `expected a PublishError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  };
}

describe("directory target", () => {
  test("round trip: publish, current, get, versions, and the files on disk", async () => {
    const target = new DirectoryTarget(dir, { verify: verifyFixture });
    assert.equal(await target.current(), undefined);
    assert.deepEqual(await target.versions(), []);
    const v1 = makeRuleset(1);
    await target.publish(v1, { expectedVersion: undefined, expectedChecksum: undefined });
    const v2 = makeRuleset(2);
    const published = await target.publish(v2, { expectedVersion: 1, expectedChecksum: v1.checksum });
    assert.equal(published.version, 2);
    const current = await target.current();
    assert.deepEqual(current, { version: 2, checksum: v2.checksum, ruleset: v2 });
    assert.deepEqual((await target.get(1))?.ruleset, v1);
    assert.equal(await target.get(7), undefined);
    assert.deepEqual(await target.versions(), [1, 2]);
    assert.deepEqual(readdirSync(dir).sort(), ["current", "ruleset.v1.json", "ruleset.v2.json"]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "ruleset.v2.json"), "utf8")), v2);
    assert.equal(JSON.parse(readFileSync(join(dir, "current"), "utf8")).version, 2);
  });

  test("versions sort numerically (v10 after v9)", async () => {
    const target = new DirectoryTarget(dir);
    let prev: { version: number; checksum: string } | undefined;
    for (const v of [1, 2, 9, 10])
      prev = await target.publish(makeRuleset(v), { expectedVersion: prev?.version, expectedChecksum: prev?.checksum });
    assert.deepEqual(await target.versions(), [1, 2, 9, 10]);
  });

  test("compare-and-swap: a stale expected version or checksum is refused and nothing changes", async () => {
    const target = new DirectoryTarget(dir, { verify: verifyFixture });
    const v1 = makeRuleset(1);
    await target.publish(v1, { expectedVersion: undefined, expectedChecksum: undefined });
    await target.publish(makeRuleset(2), { expectedVersion: 1, expectedChecksum: v1.checksum });
    await assert.rejects(
      target.publish(makeRuleset(3), { expectedVersion: 1, expectedChecksum: v1.checksum }),
      rejects("EXP4903", /expected version 1 .*but version 2 .* is current/),
    );
    await assert.rejects(
      target.publish(makeRuleset(3), { expectedVersion: 2, expectedChecksum: v1.checksum }),
      rejects("EXP4903", /moved/),
    );
    await assert.rejects(
      target.publish(makeRuleset(3), { expectedVersion: undefined, expectedChecksum: undefined }),
      rejects("EXP4903", /nothing published yet/),
    );
    assert.equal((await target.current())?.version, 2);
    assert.deepEqual(await target.versions(), [1, 2]);
  });

  test("a version number is never reused, even with new content", async () => {
    const target = new DirectoryTarget(dir);
    const v1 = makeRuleset(1);
    await target.publish(v1, { expectedVersion: undefined, expectedChecksum: undefined });
    await assert.rejects(
      target.publish(makeRuleset(1, { salt: "other" }), { expectedVersion: 1, expectedChecksum: v1.checksum }),
      rejects("EXP4905", /not newer than the highest stored version 1/),
    );
  });

  test("activate re-points current to a stored version under compare-and-swap", async () => {
    const target = new DirectoryTarget(dir, { verify: verifyFixture });
    const v1 = makeRuleset(1);
    const v2 = makeRuleset(2);
    await target.publish(v1, { expectedVersion: undefined, expectedChecksum: undefined });
    await target.publish(v2, { expectedVersion: 1, expectedChecksum: v1.checksum });
    await assert.rejects(target.activate(1, { expectedVersion: 1, expectedChecksum: v1.checksum }), rejects("EXP4903", /moved/));
    await assert.rejects(
      target.activate(5, { expectedVersion: 2, expectedChecksum: v2.checksum }),
      rejects("EXP4906", /version 5 is not stored/),
    );
    await target.activate(1, { expectedVersion: 2, expectedChecksum: v2.checksum });
    assert.equal((await target.current())?.version, 1);
    // A later publish continues after the highest stored version, not after current.
    await assert.rejects(
      target.publish(makeRuleset(2, { salt: "x" }), { expectedVersion: 1, expectedChecksum: v1.checksum }),
      rejects("EXP4905", /publish it as version 3|not newer/),
    );
    await target.publish(makeRuleset(3), { expectedVersion: 1, expectedChecksum: v1.checksum });
    assert.equal((await target.current())?.version, 3);
  });

  test("a ruleset that fails the verifier is neither written nor served", async () => {
    const target = new DirectoryTarget(dir, { verify: verifyFixture });
    const bad = { ...makeRuleset(1), checksum: "0".repeat(64) };
    await assert.rejects(
      target.publish(bad, { expectedVersion: undefined, expectedChecksum: undefined }),
      rejects("EXP4904", /failed verification: checksum mismatch/),
    );
    assert.deepEqual(await target.versions(), []);

    await target.publish(makeRuleset(1), { expectedVersion: undefined, expectedChecksum: undefined });
    const file = join(dir, "ruleset.v1.json");
    const edited = JSON.parse(readFileSync(file, "utf8"));
    edited.flags.new_search.enabled = true;
    writeFileSync(file, JSON.stringify(edited, null, 2) + "\n");
    await assert.rejects(target.current(), rejects("EXP4904", /ruleset\.v1\.json/));
  });

  test("a hand-edited version file is caught by the pointer's file hash even without a verifier", async () => {
    const target = new DirectoryTarget(dir, { displayPath: ".exp/published" });
    await target.publish(makeRuleset(1), { expectedVersion: undefined, expectedChecksum: undefined });
    const file = join(dir, "ruleset.v1.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"sourceCommit": "c0ffee0001"', '"sourceCommit": "edited"'));
    await assert.rejects(target.current(), rejects("EXP4904", /\.exp\/published\/ruleset\.v1\.json" changed after it was published/));
  });

  test("no temp files are left behind by successful writes", async () => {
    const target = new DirectoryTarget(dir);
    let prev: { version: number; checksum: string } | undefined;
    for (let v = 1; v <= 5; v++)
      prev = await target.publish(makeRuleset(v), { expectedVersion: prev?.version, expectedChecksum: prev?.checksum });
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith(".tmp")),
      [],
    );
  });
});
