// exp serve keeps requests to what exp.yaml declares, as the CLI does: events and their
// properties at POST /v1/events (a batch lists what it leaves out), unit attributes at the
// evaluation routes, with a did-you-mean; and it takes the CLI's `unit`/`attributes` spellings.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "../../../src/runtime/server/server.js";
import type { Declarations } from "../../../src/workspace/declared-input.js";
import { loopbackServer, postJson, smallRuleset } from "./fixture.js";

const DECLARED: Declarations = {
  attributes: { country: "string", platform: { enum: ["web", "ios", "android"] }, account_age_days: "number", signup_date: "date" },
  events: { purchase: { revenue: "number", currency: "string" }, page_view: {} },
};

describe("exp serve checks requests against exp.yaml's declarations", () => {
  let srv: RunningServer;
  let dir: string;
  const post = (path: string, body: unknown) => postJson(srv.url, path, body);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-declared-"));
    srv = await loopbackServer(dir, smallRuleset(1), { declarations: DECLARED });
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("one event that exp.yaml does not declare, or with an undeclared or mistyped property, is refused with a did-you-mean", async () => {
    assert.deepEqual(await post("/v1/events", { userId: "u1", eventName: "purchse" }), {
      status: 400,
      json: { error: 'unknown event "purchse"', suggestion: 'did you mean "purchase"?' },
    });
    assert.deepEqual(await post("/v1/events", { userId: "u1", eventName: "purchase", properties: { revenu: 3 } }), {
      status: 400,
      json: { error: 'the event "purchase" declares no property "revenu"', suggestion: 'did you mean "revenue"?' },
    });
    assert.deepEqual(await post("/v1/events", { userId: "u1", eventName: "purchase", properties: { revenue: "3" } }), {
      status: 400,
      json: { error: 'property "revenue" of the event "purchase" is a number, but got "3"' },
    });
    const far = await post("/v1/events", { userId: "u1", eventName: "zzzzzz" });
    assert.equal(far.json.suggestion, "declared events: purchase, page_view", "no close name: the declared ones are listed");
    assert.deepEqual(await post("/v1/events", { userId: "u1", eventName: "purchase", properties: { revenue: 3, currency: "EUR" } }), {
      status: 202,
      json: { accepted: 1, duplicates: 0, rejected: [] },
    });
  });

  test("in a batch, an undeclared event is left out and listed by index; the others are stored", async () => {
    const r = await post("/v1/events", {
      events: [
        { eventId: "b-0", userId: "u1", eventName: "page_view" },
        { eventId: "b-1", userId: "u1", eventName: "page_veiw" },
        { eventId: "b-2", userId: "u1", eventName: "purchase", properties: { currency: 978 } },
        { eventId: "b-3", userId: "u2", eventName: "purchase", value: 12.5 },
      ],
    });
    assert.deepEqual(r, {
      status: 202,
      json: {
        accepted: 2,
        duplicates: 0,
        rejected: [
          { index: 1, error: 'unknown event "page_veiw"', suggestion: 'did you mean "page_view"?' },
          { index: 2, error: 'property "currency" of the event "purchase" is a string, but got 978' },
        ],
      },
    });
    // A malformed event still refuses the whole batch, as before: that is a broken client, not a stale one.
    const broken = await post("/v1/events", { events: [{ userId: "u1", eventName: "page_view" }, { eventName: "page_view" }] });
    assert.equal(broken.status, 400);
  });

  test("evaluation routes refuse undeclared and mistyped attributes with a did-you-mean", async () => {
    for (const [path, key] of [
      ["/v1/assignments", { experimentKey: "checkout_redesign" }],
      ["/v1/flags/evaluate", { flagKey: "new_search" }],
      ["/v1/evaluate", {}],
    ] as const) {
      assert.deepEqual(await post(path, { ...key, userId: "u1", context: { contry: "US" } }), {
        status: 400,
        json: { error: '"context": unknown attribute "contry"', suggestion: 'did you mean "country"?' },
      });
      assert.deepEqual(await post(path, { ...key, userId: "u1", context: { platform: "webb" } }), {
        status: 400,
        json: { error: '"context": attribute "platform" is one of web, ios, android, but got "webb"', suggestion: 'did you mean "web"?' },
      });
      assert.deepEqual(await post(path, { ...key, userId: "u1", context: { account_age_days: "12" } }), {
        status: 400,
        json: { error: '"context": attribute "account_age_days" is a number, but got "12"' },
      });
      assert.equal((await post(path, { ...key, userId: "u1", context: { signup_date: "yesterday" } })).status, 400);
      assert.equal(
        (await post(path, { ...key, userId: "u1", context: { country: "US", signup_date: "2026-01-02", platform: null } })).status,
        200,
      );
    }
  });

  test("the CLI's spellings unit and attributes are accepted, and mean the same; both spellings at once are refused", async () => {
    const server = await post("/v1/assignments", {
      experimentKey: "checkout_redesign",
      userId: "u9",
      context: { country: "US" },
      trigger: false,
    });
    const cli = await post("/v1/assignments", {
      experimentKey: "checkout_redesign",
      unit: "u9",
      attributes: { country: "US" },
      trigger: false,
    });
    assert.equal(cli.status, 200);
    assert.deepEqual({ ...cli.json, exposureToken: null }, { ...server.json, exposureToken: null });
    assert.equal(cli.json.inExperiment, true);
    assert.deepEqual(await post("/v1/flags/evaluate", { flagKey: "new_search", unit: "u9", userId: "u9" }), {
      status: 400,
      json: { error: 'give only one of "userId" and "unit"' },
    });
    assert.deepEqual(await post("/v1/evaluate", { unit: "u9", attributes: { contry: "US" } }), {
      status: 400,
      json: { error: '"attributes": unknown attribute "contry"', suggestion: 'did you mean "country"?' },
    });
    assert.deepEqual(await post("/v1/evaluate", { attributes: {} }), { status: 400, json: { error: '"userId" is required (a string)' } });
  });
});
