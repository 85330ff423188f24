// A bandit's allocation epochs, read from the publish target's history (src/app/bandit-epoch-history.ts):
// every audited publish of new weights for the analysed phase starts one.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { allocationEpochs } from "../../src/app/bandit-epoch-history.js";
import { chainAuditRecord, type AuditRecord } from "../../src/plan/audit.js";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { rulesetChecksum } from "../../src/ruleset/checksum.js";
import type { Ruleset, RulesetExperiment } from "../../src/ruleset/types.js";
import { makeExperiment, makeWorkspace } from "../compiler/sql/fixture-workspace.js";
import { makeRuleset } from "../plan/ruleset-fixture.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Version `version` with the bandit at `phase` and control's weight `control` (basis points), or without it. */
function ruleset(version: number, arm: { phase: number; control: number } | undefined): Ruleset {
  const experiments: Record<string, RulesetExperiment> = arm
    ? {
        exp1: {
          status: "running",
          phase: arm.phase,
          unit: "user",
          schedule: {},
          holdout: true,
          traffic: 10000,
          variants: [
            { key: "control", weight: arm.control },
            { key: "treatment", weight: 10000 - arm.control },
          ],
        },
      }
    : {};
  const { checksum: _c, ...body } = { ...makeRuleset(version), experiments };
  return { ...body, checksum: rulesetChecksum(body) };
}

async function workspace(versions: ({ phase: number; control: number } | undefined)[], applied: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "exp-epochs-"));
  dirs.push(dir);
  const t = new DirectoryTarget(join(dir, ".exp", "published"));
  let last: AuditRecord | undefined;
  for (const [i, arm] of versions.entries()) {
    await t.publish(ruleset(i + 1, arm), { expectedVersion: i === 0 ? undefined : i, expectedChecksum: undefined } as never);
    if (!applied[i]) continue;
    last = chainAuditRecord(last, {
      ts: applied[i]!,
      actor: "test",
      sourceCommit: null,
      fromVersion: i === 0 ? null : i,
      toVersion: i + 1,
      action: "apply",
      summary: `v${i + 1}`,
    });
    await t.appendAudit(last);
  }
  const ws = { ...makeWorkspace({ metrics: [], experiments: [makeExperiment("exp1", [])] }), root: dir };
  ws.settings = { ...ws.settings, runtime: { publish: { type: "directory", path: ".exp/published" } } };
  return ws;
}

test("each publish of new weights starts an epoch; a publish that keeps them does not; other phases are left out", async () => {
  const ws = await workspace(
    [undefined, { phase: 1, control: 5000 }, { phase: 1, control: 5000 }, { phase: 1, control: 2000 }, { phase: 2, control: 5000 }],
    ["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", "2026-11-05T12:00:00Z", "2026-12-01T00:00:00Z"],
  );
  const lookup = allocationEpochs(ws);
  assert.deepEqual(await lookup("exp1", 1), [
    { from: "2026-11-02T00:00:00.000Z", version: 2, weights: { control: 5000, treatment: 5000 } },
    { from: "2026-11-05T12:00:00.000Z", version: 4, weights: { control: 2000, treatment: 8000 } },
  ]);
  assert.deepEqual(await lookup("exp1", 2), [
    { from: "2026-12-01T00:00:00.000Z", version: 5, weights: { control: 5000, treatment: 5000 } },
  ]);
  assert.deepEqual(await lookup("other", 1), []);
});

test("without audit records the versions' creation times stand in", async () => {
  const ws = await workspace(
    [
      { phase: 1, control: 5000 },
      { phase: 1, control: 3000 },
    ],
    [],
  );
  const epochs = await allocationEpochs(ws)("exp1", 1);
  assert.deepEqual(
    epochs.map((e) => [e.version, e.from]),
    [
      [1, ruleset(1, undefined).createdAt],
      [2, ruleset(2, undefined).createdAt],
    ],
  );
});
