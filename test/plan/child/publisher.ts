// A separate publisher process for the lock contention test:
//   publisher.ts <dir> <holder> <holdMs> <lockTimeoutMs>
// Prints "ready", then waits for a line on stdin so that both publishers start at the same moment.
// Exits 0 after publishing, 3 with the error message on stderr when the target is locked.
import { DirectoryTarget } from "../../../src/plan/target/directory.js";
import { PublishError } from "../../../src/plan/target/errors.js";
import { appendAuditEntry } from "../../../src/plan/audit-append.js";
import { makeRuleset, verifyFixture } from "../ruleset-fixture.js";

const [dir, holder, holdMs, lockTimeoutMs] = process.argv.slice(2);
const target = new DirectoryTarget(dir!, { verify: verifyFixture });
process.stdout.write("ready\n");
await new Promise((r) => process.stdin.once("data", r));
process.stdin.pause();
try {
  const lock = await target.lock(holder!, { timeoutMs: Number(lockTimeoutMs) });
  try {
    process.stdout.write("locked\n");
    const before = await target.current();
    await new Promise((r) => setTimeout(r, Number(holdMs)));
    const versions = await target.versions();
    const version = (versions[versions.length - 1] ?? 0) + 1;
    await target.publish(makeRuleset(version), { expectedVersion: before?.version, expectedChecksum: before?.checksum });
    await appendAuditEntry(target, {
      ts: new Date().toISOString(),
      actor: holder!,
      sourceCommit: null,
      fromVersion: before?.version ?? null,
      toVersion: version,
      action: "apply",
      summary: `published by ${holder}`,
    });
    process.stdout.write(`published ${version}\n`);
  } finally {
    await lock.release();
  }
} catch (err) {
  if (!(err instanceof PublishError)) throw err;
  process.stderr.write(`${err.code} ${err.message}\n`);
  process.exitCode = 3;
}
