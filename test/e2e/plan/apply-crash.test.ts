import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { verifyRuleset } from "../../../src/ruleset/verify.js";
import { verifyAuditChain } from "../../../src/plan/audit-verify.js";
import { DirectoryTarget } from "../../../src/plan/target/directory.js";
import { mulberry32 } from "../../helpers/prng.js";
import { BIN, exampleRepo } from "../../helpers/workspace.js";

const ROUNDS = 50;

/** Runs `exp apply` and SIGKILLs it after `delayMs` (or lets it finish when it is faster); without a delay it runs to the end. */
function applyAndKill(dir: string, delayMs?: number): Promise<{ killed: boolean; code: number | null; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, "apply", "--auto-approve", "--format", "json", "--lock-timeout", "20"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", EXP_ACTOR: "crash" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    p.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const timer = delayMs === undefined ? undefined : setTimeout(() => p.kill("SIGKILL"), delayMs);
    p.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === "SIGKILL", code, err });
    });
  });
}

test(`${ROUNDS} real \`exp apply\` processes killed with SIGKILL at random moments leave a verifiable current and audit chain`, async (t) => {
  const seed = Number(process.env.EXP_CRASH_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`crash seed ${seed} (replay with EXP_CRASH_SEED=${seed})`);
  const random = mulberry32(seed);
  const dir = exampleRepo("exp-apply-crash-");
  const flag = join(dir, "flags/holiday_banner.yaml");
  const target = new DirectoryTarget(join(dir, ".exp/published"));

  // How long one apply takes here, so kills spread over its whole run.
  let t0 = performance.now();
  assert.equal((await applyAndKill(dir)).code, 0);
  const full = performance.now() - t0;

  let kills = 0;
  let completed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Each round has a change to publish: toggle the kill switch of one flag.
    const text = readFileSync(flag, "utf8");
    const flipped = /^enabled: (true|false)$/m.test(text)
      ? text.replace(/^enabled: (true|false)$/m, (_m, v: string) => `enabled: ${v === "true" ? "false" : "true"}`)
      : text.replace(/^(flag: .*)$/m, "$1\nenabled: false");
    writeFileSync(flag, flipped);
    t0 = performance.now();
    const r = await applyAndKill(dir, random() * full * 1.1);
    if (r.killed) kills++;
    else if (r.code === 0) completed++;
    else assert.fail(`apply exited ${r.code} without being killed (round ${round}): ${r.err}`);

    const current = await target.current();
    assert.ok(current, `round ${round}: current loads`);
    assert.ok(verifyRuleset(current.ruleset).value, `round ${round}: current verifies`);
    const chain = verifyAuditChain(await target.auditText());
    assert.ok(chain.ok, `round ${round}: the audit chain verifies (${chain.ok ? "" : chain.message})`);
  }
  t.diagnostic(`${kills} applies killed, ${completed} completed; one apply took ${Math.round(full)} ms`);
  // How many kills land mid-apply depends on how fast each apply ran on the machine at the time; what
  // must hold was checked after every round above. This only shows that the crash path ran at all.
  assert.ok(kills > 0, "no apply was killed");
  // The next apply recovers: it breaks the stale lock, records any publish whose audit record was lost, and publishes.
  const final = await applyAndKill(dir);
  assert.equal(final.code, 0);
  const chain = verifyAuditChain(await target.auditText());
  assert.ok(chain.ok);
});
