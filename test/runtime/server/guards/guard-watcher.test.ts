// The guard watcher on a simulated clock: collecting below min_units, a planted regression breaks
// glass once (publish, reload, alert, persisted across a restart), an even rollout keeps watching;
// a gated step is taken once when the step before shows no regression with enough units, never on a regression.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AlertNotice } from "../../../../src/runtime/server/alerts/alert.js";
import { GuardStore } from "../../../../src/runtime/server/guards/guard-store.js";
import { GuardWatcher, type AdvanceStep, type BreakGlass } from "../../../../src/runtime/server/guards/guard-watcher.js";
import { liveGuards } from "../../../../src/runtime/server/guards/live-guards.js";
import { LiveStats } from "../../../../src/runtime/server/live/live-stats.js";
import { ServerMetrics } from "../../../../src/runtime/server/metrics.js";
import type { Ruleset } from "../../../../src/ruleset/types.js";
import { mulberry32 } from "../../../helpers/prng.js";
import { FILES, GUARD_KEY, START, gatedFiles, guardedWorkspace, traffic, type Rates } from "./guarded-rollout.js";

interface Rig {
  watcher: GuardWatcher;
  live: LiveStats;
  ruleset: Ruleset;
  notices: AlertNotice[];
  breaks: Parameters<BreakGlass>[0][];
  advances: Parameters<AdvanceStep>[0][];
  reloads: number;
  clock: { now: number };
  dataDir: string;
}

async function rig(dataDir = mkdtempSync(join(tmpdir(), "exp-guard-")), files = FILES): Promise<Rig> {
  const { ruleset, definitions } = await guardedWorkspace(files);
  const live = new LiveStats(definitions);
  const r: Rig = { watcher: undefined!, live, ruleset, notices: [], breaks: [], advances: [], reloads: 0, clock: { now: START }, dataDir };
  const quiet = { warn() {}, error() {}, info() {} };
  const state = {
    rulesets: { current: ruleset, reload: async () => void r.reloads++ },
    store: {},
    live,
    alerts: { notify: (n: AlertNotice) => void r.notices.push(n) },
    log: quiet,
    now: () => r.clock.now,
  } as unknown as ConstructorParameters<typeof GuardWatcher>[0];
  const breakGlass: BreakGlass = async (request) => {
    r.breaks.push(request);
    return 2;
  };
  const advanceStep: AdvanceStep = async (request) => {
    r.advances.push(request);
    return 3;
  };
  r.watcher = new GuardWatcher(state, await GuardStore.open(dataDir), breakGlass, advanceStep);
  return r;
}

/**
 * Feeds `n` units a minute of simulated time until `minutes` have passed, checking the guard after
 * each; the minute `done` (by default: the guard breached) first held, or undefined.
 */
async function run(
  r: Rig,
  rates: Rates,
  seed: number,
  perMinute: number,
  minutes: number,
  done = () => r.watcher.status(GUARD_KEY)?.state === "breached",
): Promise<number | undefined> {
  const random = mulberry32(seed);
  for (let m = 0; m < minutes; m++) {
    r.clock.now = START + m * 60_000;
    const { exposures, events } = traffic(r.ruleset, m * perMinute, perMinute, r.clock.now, rates, random);
    r.live.exposures(exposures);
    r.live.events(events);
    await r.watcher.check();
    if (done()) return m + 1;
  }
  return undefined;
}

test("a guard collects until every arm has min_units units", async () => {
  const r = await rig();
  try {
    await run(r, { default: 0.05, rollout: 0.05 }, 1, 100, 1);
    const s = r.watcher.status(GUARD_KEY)!;
    assert.equal(s.state, "collecting");
    assert.ok(s.units.rollout! < 200 && s.units.default! < 200, JSON.stringify(s.units));
    assert.deepEqual(s.change, { flag: "new_checkout", rule: "everyone", ruleIndex: 0 });
  } finally {
    rmSync(r.dataDir, { recursive: true, force: true });
  }
});

test("a planted regression breaks glass once: publish, reload, alert, and it stays breached after a restart", async () => {
  const r = await rig();
  try {
    const seed = 7;
    console.log(`seed ${seed}`);
    const minutes = await run(r, { default: 0.05, rollout: 0.2 }, seed, 200, 10);
    assert.ok(minutes !== undefined && minutes <= 5, `breached after ${minutes} simulated minutes`);
    assert.equal(r.breaks.length, 1);
    assert.equal(r.breaks[0]!.guard, GUARD_KEY);
    assert.equal(r.breaks[0]!.action, "rollback");
    assert.equal(r.reloads, 1);
    assert.equal(r.notices.length, 1);
    assert.equal(r.notices[0]!.kind, "guard_breach");
    assert.match(r.notices[0]!.summary, /"error_clicks" regressed by .* in the rollout of flag "new_checkout"/);
    const s = r.watcher.status(GUARD_KEY)!;
    assert.equal(s.breach?.metric, "error_clicks");
    assert.ok(s.breach!.regression > 0.01, `regression ${s.breach!.regression}`);
    assert.equal(s.breach!.version, 2);
    // Later looks do not act again.
    await r.watcher.check();
    assert.equal(r.breaks.length, 1);
    assert.equal(r.notices.length, 1);
    const [guard] = await liveGuards(r.watcher).guards();
    assert.equal(guard!.state, "breached");
    assert.equal(guard!.key, "new_checkout");
    const metrics = new ServerMetrics().render(undefined, [{ key: GUARD_KEY, target: "flag", state: "breached" }]);
    assert.match(metrics, /^exp_guard_state\{guard="rollout:new_checkout:everyone",target="flag"\} 2$/m);
    // A restart reads the breach back from the data dir and does not act on it again.
    const again = await rig(r.dataDir);
    await again.watcher.check();
    assert.equal(again.watcher.status(GUARD_KEY)!.state, "breached");
    assert.equal(again.breaks.length, 0);
    assert.equal(again.notices.length, 0);
  } finally {
    rmSync(r.dataDir, { recursive: true, force: true });
  }
});

test("an even rollout keeps watching", async () => {
  const r = await rig();
  try {
    const minutes = await run(r, { default: 0.1, rollout: 0.1 }, 3, 200, 10);
    assert.equal(minutes, undefined);
    assert.equal(r.watcher.status(GUARD_KEY)!.state, "watching");
    assert.equal(r.breaks.length, 0);
  } finally {
    rmSync(r.dataDir, { recursive: true, force: true });
  }
});

const advanced = (r: Rig) => () => r.advances.length > 0;

test("a gated step is taken once the step before has after_units units per arm and no regression, once, also after a restart", async () => {
  const r = await rig(undefined, gatedFiles(1000));
  try {
    assert.deepEqual(r.ruleset.flags.new_checkout!.rules[0]!.kind === "rollout" && r.ruleset.flags.new_checkout!.rules[0]!.steps[1], {
      traffic: 10000,
      afterUnits: 1000,
    });
    // The rollout clicks errors half as often: its confidence sequence soon rules out a 1% regression.
    const minutes = await run(r, { default: 0.2, rollout: 0.1 }, 11, 200, 30, advanced(r));
    assert.ok(minutes !== undefined, "the gated step was never taken");
    assert.equal(r.advances.length, 1);
    assert.equal(r.advances[0]!.guard, GUARD_KEY);
    assert.equal(r.advances[0]!.step, 2);
    assert.equal(r.advances[0]!.now.getTime(), r.clock.now);
    assert.equal(r.reloads, 1);
    assert.equal(r.breaks.length, 0);
    const s = r.watcher.status(GUARD_KEY)!;
    assert.ok(Math.min(s.units.rollout!, s.units.default!) >= 1000, JSON.stringify(s.units));
    // Later looks, and a restart reading the data dir, do not take it again.
    await r.watcher.check();
    assert.equal(r.advances.length, 1);
    const again = await rig(r.dataDir, gatedFiles(1000));
    await run(again, { default: 0.2, rollout: 0.1 }, 11, 200, 8, advanced(again));
    assert.equal(again.advances.length, 0);
  } finally {
    rmSync(r.dataDir, { recursive: true, force: true });
  }
});

test("a gated step waits for after_units even when the guard already passes", async () => {
  const r = await rig(undefined, gatedFiles(5000));
  try {
    assert.equal(await run(r, { default: 0.2, rollout: 0.1 }, 11, 200, 30, advanced(r)), undefined);
    assert.equal(r.watcher.status(GUARD_KEY)!.state, "watching");
  } finally {
    rmSync(r.dataDir, { recursive: true, force: true });
  }
});

test("a regression never takes a gated step: it breaks glass instead", async () => {
  const r = await rig(undefined, gatedFiles(1000));
  try {
    const minutes = await run(r, { default: 0.05, rollout: 0.2 }, 7, 200, 30, advanced(r));
    assert.equal(minutes, undefined);
    assert.equal(r.advances.length, 0);
    assert.equal(r.breaks.length, 1);
    assert.equal(r.watcher.status(GUARD_KEY)!.state, "breached");
  } finally {
    rmSync(r.dataDir, { recursive: true, force: true });
  }
});
