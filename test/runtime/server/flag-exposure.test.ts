// POST /v1/flags/evaluate logs the exposure behind a flag value served from an on_assignment
// experiment, once per unit × experiment × phase and with the id the SDK gives it, as
// POST /v1/assignments does; not for on_view experiments, other reasons, or `trigger: false`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "../../../src/runtime/server/server.js";
import { exposureId } from "../../../src/runtime/sdk/exposure-id.js";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import type { Ruleset, RulesetFlag } from "../../../src/ruleset/types.js";
import { flag } from "../../conformance/ruleset-builder.js";
import { loopbackServer, postJson, smallRuleset, storedExposures } from "./fixture.js";

/** A boolean flag on from one experiment's one_page variant; checkout_redesign only enrols US units. */
function experimentFlag(experiment: string): RulesetFlag {
  return flag({ rules: [{ kind: "experiment", name: "from_experiment", experiment, map: { control: "off", one_page: "on" } }] });
}

function ruleset(): Ruleset {
  const r = smallRuleset(1);
  r.experiments.banner = { ...r.experiments.checkout_redesign!, exposure: "on_view", phase: 2 };
  delete r.experiments.banner.targeting;
  r.flags.checkout_flag = experimentFlag("checkout_redesign");
  r.flags.banner_flag = experimentFlag("banner");
  r.checksum = rulesetChecksum(r);
  return r;
}

describe("flag evaluations served from an experiment log its exposure", () => {
  let srv: RunningServer;
  let dir: string;
  const evaluate = (flagKey: string, userId: string, over: Record<string, unknown> = {}) =>
    postJson(srv.url, "/v1/flags/evaluate", { flagKey, userId, ...over });
  const stored = (unit: string) => storedExposures(join(dir, "data")).filter((e) => e.unit_id === unit);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-flag-exposure-"));
    srv = await loopbackServer(dir, ruleset());
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("an on_assignment experiment: logged with the assignment's variant and the SDK's id, stored once however often it is served", async () => {
    const first = await evaluate("checkout_flag", "f_1", { context: { country: "US" } });
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.equal(first.json.reason, "experiment");
    assert.deepEqual([first.json.exposureLogged, first.json.exposureId], [true, exposureId("checkout_redesign", 1, "f_1")]);
    const again = await evaluate("checkout_flag", "f_1", { context: { country: "US" } });
    assert.equal(again.json.exposureId, first.json.exposureId);
    const assigned = await postJson(srv.url, "/v1/assignments", {
      experimentKey: "checkout_redesign",
      userId: "f_1",
      context: { country: "US" },
    });
    assert.equal(assigned.json.exposureId, first.json.exposureId, "the same exposure as an assignment logs");
    const rows = stored("f_1");
    assert.deepEqual(
      rows.map((e) => [e.id, e.experiment, e.phase, e.variant]),
      [[first.json.exposureId, "checkout_redesign", 1, assigned.json.variant]],
    );
    assert.equal(first.json.value, assigned.json.variant === "one_page");
  });

  test("nothing is logged for an on_view experiment, a unit the experiment does not serve, or trigger: false", async () => {
    const view = await evaluate("banner_flag", "f_2");
    assert.deepEqual([view.json.reason, view.json.exposureLogged, view.json.exposureId], ["experiment", false, null]);
    const outside = await evaluate("checkout_flag", "f_3", { context: { country: "FR" } });
    assert.deepEqual([outside.json.reason, outside.json.exposureLogged], ["default", false]);
    const quiet = await evaluate("checkout_flag", "f_4", { context: { country: "US" }, trigger: false });
    assert.deepEqual([quiet.json.reason, quiet.json.exposureLogged], ["experiment", false]);
    const plain = await evaluate("new_search", "f_5");
    assert.equal(plain.json.exposureLogged, false);
    assert.equal((await evaluate("checkout_flag", "f_6", { trigger: "yes" })).status, 400);
    for (const unit of ["f_2", "f_3", "f_4", "f_5"]) assert.deepEqual(stored(unit), [], unit);
  });
});
