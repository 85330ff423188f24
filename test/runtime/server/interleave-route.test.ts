import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import { interleaveRankings } from "../../../src/runtime/interleave.js";
import { INTERLEAVED_VARIANT, interleavingExposureId } from "../../../src/runtime/sdk/interleaving-exposure.js";
import type { RunningServer } from "../../../src/runtime/server/server.js";
import { loopbackServer, postJson, smallRuleset, storedExposures } from "./fixture.js";

const rankers: [string, string] = ["collab_filter", "two_tower"];
const A = ["a1", "a2", "shared", "a3"];
const B = ["b1", "shared", "b2"];

function rulesetWithInterleaving() {
  const r = smallRuleset();
  r.experiments.recs = {
    status: "running",
    phase: 2,
    unit: "session",
    schedule: {},
    holdout: false,
    traffic: 10000,
    variants: rankers.map((key) => ({ key, weight: 5000 })),
    interleaving: { method: "team_draft", rankers },
  };
  r.checksum = rulesetChecksum(r);
  return r;
}

describe("POST /v1/interleave (docs/http-api.md#interleave)", () => {
  let dir: string;
  let srv: RunningServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-interleave-"));
    srv = await loopbackServer(dir, rulesetWithInterleaving());
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("answers the SDK's merged list and stores its exposure with the teams", async () => {
    const body = { experimentKey: "recs", userId: "u1", sessionId: "s1", requestId: "q1", rankingA: A, rankingB: B };
    const { status, json } = await postJson(srv.url, "/v1/interleave", body);
    assert.equal(status, 200);
    const expected = interleaveRankings({
      experiment: "recs",
      phase: 2,
      interleaving: { method: "team_draft", rankers },
      hashKey: "s1",
      requestId: "q1",
      rankingA: A,
      rankingB: B,
    });
    assert.deepEqual([json.items, json.teams, json.inExperiment, json.exposureLogged], [expected.items, expected.teams, true, true]);
    const id = interleavingExposureId("recs", 2, "s1", "q1");
    assert.equal(json.exposureId, id);
    // Asked again (a retry), the same list and the same exposure, stored once.
    assert.deepEqual((await postJson(srv.url, "/v1/interleave", body)).json.items, expected.items);
    const stored = storedExposures(join(dir, "data")).filter((e) => e.id === id) as unknown as Record<string, unknown>[];
    assert.equal(stored.length, 1);
    assert.deepEqual([stored[0]!.variant, stored[0]!.session_id, stored[0]!.unit_id], [INTERLEAVED_VARIANT, "s1", "u1"]);
    assert.deepEqual(stored[0]!.metadata, {
      interleaving: { request: "q1", method: "team_draft", items: expected.items, teams: expected.teams },
    });
  });

  test("trigger false logs nothing", async () => {
    const { json } = await postJson(srv.url, "/v1/interleave", {
      experimentKey: "recs",
      userId: "u2",
      sessionId: "s2",
      rankingA: A,
      rankingB: B,
      trigger: false,
    });
    assert.deepEqual([json.inExperiment, json.exposureLogged, json.exposureId], [true, false, null]);
  });

  test("refuses an A/B experiment, an unknown one and malformed rankings", async () => {
    const ab = await postJson(srv.url, "/v1/interleave", { experimentKey: "checkout_redesign", userId: "u1", rankingA: A, rankingB: B });
    assert.equal(ab.status, 400);
    assert.match(String(ab.json.error), /not an interleaving experiment/);
    assert.equal(
      (await postJson(srv.url, "/v1/interleave", { experimentKey: "nope", userId: "u1", rankingA: A, rankingB: B })).status,
      404,
    );
    const bad = await postJson(srv.url, "/v1/interleave", {
      experimentKey: "recs",
      userId: "u1",
      sessionId: "s",
      rankingA: ["ok", 3],
      rankingB: B,
    });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /"rankingA\[1\]" must be a string/);
  });

  test("an SDK's interleaving exposure passes the server's check, a ranker as variant does not", async () => {
    const exposure = (variant: string) => ({
      exposureId: `x-${variant}`,
      experimentKey: "recs",
      userId: "u3",
      sessionId: "s3",
      variant,
      phase: 2,
      rulesetVersion: 1,
      ts: new Date().toISOString(),
    });
    const ok = await postJson(srv.url, "/v1/exposures", { exposures: [exposure(INTERLEAVED_VARIANT)] });
    const bad = await postJson(srv.url, "/v1/exposures", { exposures: [exposure(rankers[0])] });
    assert.deepEqual([ok.status, ok.json.accepted, bad.json.accepted], [202, 1, 0]);
    assert.match(JSON.stringify(bad.json.rejected), /interleaves; its exposures have variant \\"interleaved\\"/);
  });
});
