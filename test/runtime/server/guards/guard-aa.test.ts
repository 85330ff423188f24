// A/A: the same rollout on both sides, looked at every simulated minute for an hour, over repeated
// seeded runs. The guard reads an always-valid confidence sequence, so continuous looks keep its
// false breaches at or below α (exp.yaml defaults.alpha, 5%).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GuardStore } from "../../../../src/runtime/server/guards/guard-store.js";
import { GuardWatcher } from "../../../../src/runtime/server/guards/guard-watcher.js";
import { LiveStats } from "../../../../src/runtime/server/live/live-stats.js";
import { mulberry32 } from "../../../helpers/prng.js";
import { GUARD_KEY, START, guardedWorkspace, traffic } from "./guarded-rollout.js";

const RUNS = 40;
const MINUTES = 60;
const UNITS_PER_MINUTE = 200;
const ALPHA = 0.05;
/** Binomial(40, 5%) exceeds 7 with probability below 0.1%: more false breaches than that means the rate is above α. */
const MAX_FALSE_BREACHES = 7;

test(`an A/A rollout breaks glass falsely in at most α of ${RUNS} seeded runs of ${MINUTES} looks`, async () => {
  const { ruleset, definitions } = await guardedWorkspace();
  const seeds = Array.from({ length: RUNS }, (_, i) => 1000 + i);
  console.log(`seeds ${seeds[0]}..${seeds.at(-1)}`);
  const fired: number[] = [];
  for (const seed of seeds) {
    const dataDir = mkdtempSync(join(tmpdir(), "exp-guard-aa-"));
    try {
      const live = new LiveStats(definitions);
      const clock = { now: START };
      let breaks = 0;
      const state = {
        rulesets: { current: ruleset, reload: async () => {} },
        store: {},
        live,
        alerts: { notify() {} },
        log: { warn() {}, error() {}, info() {} },
        now: () => clock.now,
      } as unknown as ConstructorParameters<typeof GuardWatcher>[0];
      const watcher = new GuardWatcher(state, await GuardStore.open(dataDir), async () => (breaks++, null));
      const random = mulberry32(seed);
      for (let m = 0; m < MINUTES && breaks === 0; m++) {
        clock.now = START + m * 60_000;
        const { exposures, events } = traffic(
          ruleset,
          m * UNITS_PER_MINUTE,
          UNITS_PER_MINUTE,
          clock.now,
          { default: 0.1, rollout: 0.1 },
          random,
        );
        live.exposures(exposures);
        live.events(events);
        await watcher.check();
      }
      if (breaks > 0) fired.push(seed);
      assert.notEqual(watcher.status(GUARD_KEY)?.state, "collecting", `seed ${seed} reached min_units`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(
    `false breaches: ${fired.length} of ${RUNS} (${((fired.length / RUNS) * 100).toFixed(1)}%; α ${ALPHA * 100}%)${fired.length ? `, seeds ${fired.join(", ")}` : ""}`,
  );
  assert.ok(fired.length <= MAX_FALSE_BREACHES, `${fired.length} false breaches in ${RUNS} runs`);
});
