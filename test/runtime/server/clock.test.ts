import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import { startServer } from "../../../src/runtime/server/server.js";
import type { Ruleset } from "../../../src/ruleset/types.js";
import { smallRuleset, storeOptions } from "./fixture.js";

/** The fixture's experiment, running in November 2026 only. */
function novemberRuleset(): Ruleset {
  const r = structuredClone(smallRuleset(1));
  r.experiments.checkout_redesign!.schedule = { start: "2026-11-01T00:00:00.000Z", end: "2026-12-01T00:00:00.000Z" };
  r.checksum = rulesetChecksum(r);
  return r;
}

async function assignAt(clock: number): Promise<{ inExperiment: boolean; reasons: string[]; eventTs: string }> {
  const dir = mkdtempSync(join(tmpdir(), "exp-serve-clock-"));
  const { store, publisher } = storeOptions(join(dir, "published"));
  await store.publish(novemberRuleset(), { expectedVersion: undefined, expectedChecksum: undefined });
  const srv = await startServer(
    { store, publisher, dataDir: join(dir, "data"), keys: [], noAuth: true, tokenSecret: randomBytes(32), clock: () => clock },
    0,
  );
  try {
    const post = async (path: string, body: unknown) =>
      (
        await fetch(`${srv.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      ).json() as Promise<Record<string, unknown>>;
    const a = await post("/v1/assignments", { experimentKey: "checkout_redesign", userId: "user_7", context: { country: "US" } });
    await post("/v1/events", { eventId: "e1", userId: "user_7", eventName: "purchase" });
    const events = join(dir, "data", "events");
    const segment = readdirSync(events).find((f) => f.startsWith("events-"))!;
    const event = JSON.parse(readFileSync(join(events, segment), "utf8").trim()) as { ts: string };
    return { inExperiment: a.inExperiment as boolean, reasons: a.reasons as string[], eventTs: event.ts };
  } finally {
    await srv.close();
  }
}

test("the server evaluates schedules and stamps events at its clock, which a replay or demo can pin", async () => {
  const inside = await assignAt(Date.parse("2026-11-15T10:00:00Z"));
  assert.equal(inside.inExperiment, true);
  assert.equal(inside.eventTs, "2026-11-15T10:00:00.000Z");
  const after = await assignAt(Date.parse("2026-12-02T00:00:00Z"));
  assert.equal(after.inExperiment, false);
  assert.match(after.reasons.join(" "), /schedule|ended|not running/i);
});
