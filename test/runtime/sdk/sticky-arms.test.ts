// Sticky arms in the SDK (src/runtime/sdk/sticky-store.ts): with a store, a unit keeps the arm it was
// first assigned when a bandit's weights change; without one, many switch.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createClient } from "../../../src/runtime/client.js";
import { stickyKey, type StickyAssignment, type StickyStore } from "../../../src/runtime/sdk/sticky-store.js";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import type { Ruleset } from "../../../src/ruleset/types.js";
import { smallRuleset } from "../server/fixture.js";

const KEY = "checkout_redesign";
const US = { country: "US" };
const UNITS = Array.from({ length: 400 }, (_, i) => `unit-${i}`);

class MapStore implements StickyStore {
  readonly map = new Map<string, StickyAssignment>();
  get(unitKey: string) {
    return this.map.get(unitKey);
  }
  set(unitKey: string, assignment: StickyAssignment) {
    this.map.set(unitKey, assignment);
  }
}

function withPhase(r: Ruleset, phase: number): Ruleset {
  const out: Ruleset = { ...r, experiments: { [KEY]: { ...r.experiments[KEY]!, phase } } };
  out.checksum = rulesetChecksum(out);
  return out;
}

async function arms(ruleset: Ruleset, store?: StickyStore, units = UNITS): Promise<string[]> {
  const client = await createClient({ ruleset, ...(store ? { sticky: { store, experiments: [KEY] } } : {}) });
  return units.map((u) => client.assign(KEY, u, US).variant!);
}

describe("SDK sticky arms", () => {
  test("after reweighting, every enrolled unit keeps its arm; without a store many switch", async () => {
    const store = new MapStore();
    const before = await arms(smallRuleset(1, [5000, 5000]), store);
    assert.equal(store.map.size, UNITS.length);
    assert.deepEqual(store.get(stickyKey(KEY, 1, UNITS[0]!)), { variant: before[0] });

    const reweighted = smallRuleset(2, [1000, 9000]);
    assert.deepEqual(await arms(reweighted, store), before);
    const unstuck = await arms(reweighted);
    const switched = unstuck.filter((v, i) => v !== before[i]).length;
    assert.ok(switched > UNITS.length / 10, `${switched} units switch without a store`);
  });

  test("new units follow the current weights", async () => {
    const store = new MapStore();
    await arms(smallRuleset(1, [5000, 5000]), store);
    const fresh = UNITS.map((u) => `new-${u}`);
    const got = await arms(smallRuleset(2, [1000, 9000]), store, fresh);
    const share = got.filter((v) => v === "one_page").length / fresh.length;
    assert.ok(share > 0.8, `one_page share ${share}`);
  });

  test("a new phase re-randomises: the store's arm of phase 1 does not apply", async () => {
    const store = new MapStore();
    await arms(smallRuleset(1, [5000, 5000]), store);
    const phase2 = withPhase(smallRuleset(2, [0, 10000]), 2);
    assert.ok((await arms(phase2, store)).every((v) => v === "one_page"));
  });

  test("an arm that no longer exists (weight 0) is not served; the unit gets a fresh arm, stored from then on", async () => {
    const store = new MapStore();
    const before = await arms(smallRuleset(1, [5000, 5000]), store);
    const after = await arms(smallRuleset(2, [0, 10000]), store);
    assert.ok(after.every((v) => v === "one_page"));
    const movedFrom = before.findIndex((v) => v === "control");
    assert.deepEqual(store.get(stickyKey(KEY, 1, UNITS[movedFrom]!)), { variant: "one_page" });
  });

  test("the served config and reasons are the sticky arm's", async () => {
    const store = new MapStore();
    const client1 = await createClient({ ruleset: smallRuleset(1, [5000, 5000]), sticky: { store, experiments: [KEY] } });
    const unit = UNITS.find((u) => client1.assign(KEY, u, US).variant === "control")!;
    const client2 = await createClient({ ruleset: smallRuleset(2, [1, 9999]), sticky: { store, experiments: [KEY] } });
    const r = client2.assign(KEY, unit, US);
    assert.equal(r.variant, "control");
    assert.deepEqual(r.config, { layout: "classic" });
    assert.equal(r.reasons.at(-1), "variant:control");
  });
});
