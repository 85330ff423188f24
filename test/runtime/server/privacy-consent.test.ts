import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readOptOut } from "../../../src/app/server-privacy.js";
import { ExpError } from "../../../src/diagnostics/errors.js";
import type { RunningServer } from "../../../src/runtime/server/server.js";
import { loopbackServer, smallRuleset } from "./fixture.js";

describe("consent: exposures and events without it are dropped, counted and never stored", () => {
  let srv: RunningServer;
  let dir: string;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  /** Every line of every segment, of both kinds. */
  const stored = () =>
    ["exposures", "events"].flatMap((k) =>
      readdirSync(join(dir, "data", k)).flatMap((f) =>
        readFileSync(join(dir, "data", k, f), "utf8")
          .split("\n")
          .filter(Boolean),
      ),
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-consent-"));
    srv = await loopbackServer(dir, smallRuleset(1), { privacy: { optOut: new Set(["optedout_1"]) } });
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("events: consent false and opted-out units are left out of the batch and counted", async () => {
    const r = await post("/v1/events", {
      events: [
        { eventId: "e1", userId: "kept_1", eventName: "page_view" },
        { eventId: "e2", userId: "declined_1", eventName: "page_view", consent: false },
        { eventId: "e3", userId: "optedout_1", eventName: "page_view" },
        { eventId: "e4", userId: "kept_2", eventName: "page_view", consent: true },
      ],
    });
    assert.equal(r.status, 202);
    assert.deepEqual(r.json, { accepted: 2, duplicates: 0, rejected: [], withoutConsent: 2 });
    const bad = await post("/v1/events", { eventId: "e5", userId: "kept_3", eventName: "page_view", consent: "no" });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /event 0: "consent" must be true or false/);
  });

  test("exposures: a token posted with consent false, an SDK exposure without it, and an opted-out unit's assignment", async () => {
    const assign = (userId: string, trigger = false) =>
      post("/v1/assignments", { experimentKey: "checkout_redesign", userId, context: { country: "US" }, trigger });
    const a = await assign("declined_2");
    const token = await post("/v1/exposures", { exposureToken: a.json.exposureToken, consent: false });
    assert.deepEqual(token.json, { accepted: 0, duplicate: false, withoutConsent: 1 });
    const b = await assign("declined_3");
    const sdk = await post("/v1/exposures", {
      exposures: [
        { exposureId: "x1", experimentKey: "checkout_redesign", userId: "declined_3", variant: b.json.variant, phase: 1, consent: false },
        {
          exposureId: "x2",
          experimentKey: "checkout_redesign",
          userId: "optedout_1",
          variant: (await assign("optedout_1")).json.variant,
          phase: 1,
        },
      ],
    });
    assert.equal(sdk.status, 202, JSON.stringify(sdk.json));
    assert.deepEqual(sdk.json, { accepted: 0, duplicates: 0, rejected: [], withoutConsent: 2 });
    // The server's own logging of an assignment skips an opted-out unit too.
    const logged = await assign("optedout_1", true);
    assert.equal(logged.json.exposureLogged, false);
    const summary = (await (await fetch(`${srv.url}/v1/experiments/checkout_redesign/summary`)).json()) as {
      exposures: Record<string, number>;
    };
    assert.equal(
      Object.values(summary.exposures).reduce((x, y) => x + y, 0),
      0,
    );
  });

  test("/metrics counts what was dropped, and no segment holds a dropped unit", async () => {
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(metrics, /exp_consent_dropped_total\{kind="events"\} 2/);
    assert.match(metrics, /exp_consent_dropped_total\{kind="exposures"\} 4/);
    const lines = stored();
    assert.equal(lines.length, 2);
    for (const unit of ["declined_1", "declined_2", "declined_3", "optedout_1"]) assert.ok(!lines.some((l) => l.includes(unit)), unit);
  });
});

describe("the opt-out file", () => {
  test("one unit id a line; blank lines and # comments are skipped; an unreadable file is EXP9131", () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-optout-"));
    try {
      writeFileSync(join(dir, "opt-out.txt"), "# units that said no\nu1\n\n  u2  \r\n");
      assert.deepEqual([...readOptOut(join(dir, "opt-out.txt"))], ["u1", "u2"]);
      assert.throws(
        () => readOptOut(join(dir, "missing.txt")),
        (e: unknown) => e instanceof ExpError && e.code === "EXP9131" && /cannot read the opt-out file/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
