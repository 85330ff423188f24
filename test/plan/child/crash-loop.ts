// Publishes and audits in a loop until killed: crash-loop.ts <dir> <paddingBytes>
// Prints "ready" once, then "published <N>" after each publish + audit append has completed.
import { DirectoryTarget } from "../../../src/plan/target/directory.js";
import { appendAuditEntry, reconcileAudit } from "../../../src/plan/audit-append.js";
import { makeRuleset, verifyFixture } from "../ruleset-fixture.js";

const [dir, padding] = process.argv.slice(2);
const target = new DirectoryTarget(dir!, { verify: verifyFixture, onStaleLockBroken: (o) => process.stdout.write(`broke ${o.pid}\n`) });
process.stdout.write("ready\n");
for (;;) {
  const lock = await target.lock("crash-loop", { timeoutMs: 5_000 });
  await reconcileAudit(target, "crash-loop");
  const before = await target.current();
  const versions = await target.versions();
  const version = (versions[versions.length - 1] ?? 0) + 1;
  await target.publish(makeRuleset(version, { padding: Number(padding) }), {
    expectedVersion: before?.version,
    expectedChecksum: before?.checksum,
  });
  await appendAuditEntry(target, {
    ts: new Date().toISOString(),
    actor: "crash-loop",
    sourceCommit: null,
    fromVersion: before?.version ?? null,
    toVersion: version,
    action: "apply",
    summary: `loop publish ${version}`,
  });
  await lock.release();
  process.stdout.write(`published ${version}\n`);
}
