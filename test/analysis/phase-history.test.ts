// When phase N of an experiment was first published, read from the publish target's history: what the
// analysis uses when the exposures carry no phase column (src/app/phase-history.ts).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { publishHistory } from "../../src/app/phase-history.js";
import { chainAuditRecord, type AuditRecord } from "../../src/plan/audit.js";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { rulesetChecksum } from "../../src/ruleset/checksum.js";
import type { Ruleset, RulesetExperiment } from "../../src/ruleset/types.js";
import { makeExperiment, makeWorkspace } from "../compiler/sql/fixture-workspace.js";
import { makeRuleset } from "../plan/ruleset-fixture.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function withPhase(version: number, phase: number | undefined): Ruleset {
  const base = makeRuleset(version);
  const experiment: RulesetExperiment = {
    status: "running",
    phase: phase ?? 1,
    unit: "user",
    schedule: {},
    holdout: true,
    traffic: 10000,
    variants: [
      { key: "control", weight: 5000 },
      { key: "treatment", weight: 5000 },
    ],
  };
  const { checksum: _c, ...body } = { ...base, experiments: phase === undefined ? {} : { exp1: experiment } };
  return { ...body, checksum: rulesetChecksum(body) };
}

async function target(phases: (number | undefined)[], applied: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "exp-phase-history-"));
  dirs.push(dir);
  const published = join(dir, ".exp", "published");
  const t = new DirectoryTarget(published);
  let last: AuditRecord | undefined;
  for (const [i, phase] of phases.entries()) {
    const version = i + 1;
    await t.publish(withPhase(version, phase), { expectedVersion: i === 0 ? undefined : i, expectedChecksum: undefined } as never);
    if (applied[i]) {
      last = chainAuditRecord(last, {
        ts: applied[i]!,
        actor: "test",
        sourceCommit: null,
        fromVersion: i === 0 ? null : i,
        toVersion: version,
        action: "apply",
        summary: `v${version}`,
      });
      await t.appendAudit(last);
    }
  }
  const ws = { ...makeWorkspace({ metrics: [], experiments: [makeExperiment("exp1", [])] }), root: dir };
  ws.settings = { ...ws.settings, runtime: { publish: { type: "directory", path: ".exp/published" } } };
  return ws;
}

test("the first audited publication of a version with the experiment at the phase", async () => {
  const ws = await target(
    [undefined, 1, 1, 2, 2],
    ["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "2026-11-05T00:00:00Z", "2026-12-01T09:30:00Z", "2026-12-03T00:00:00Z"],
  );
  const lookup = publishHistory(ws);
  assert.deepEqual(await lookup("exp1", 2), { found: true, at: "2026-12-01T09:30:00.000Z", version: 4 });
  assert.deepEqual(await lookup("exp1", 1), { found: true, at: "2026-11-02T00:00:00.000Z", version: 2 });
  const never = await lookup("exp1", 3);
  assert.equal(never.found, false);
  assert.match((never as { why: string }).why, /no version in directory .* has it at phase 3/);
});

test("without audit records the versions' creation time stands in", async () => {
  const ws = await target([1, 2], []);
  assert.deepEqual(await publishHistory(ws)("exp1", 2), { found: true, at: withPhase(2, 2).createdAt, version: 2 });
});

test("nothing published says so", async () => {
  const ws = await target([], []);
  const r = await publishHistory(ws)("exp1", 1);
  assert.equal(r.found, false);
  assert.match((r as { why: string }).why, /nothing is published/);
});
