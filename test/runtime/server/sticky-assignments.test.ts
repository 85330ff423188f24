// POST /v1/assignments keeps a bandit's enrolled units on their first arm when the weights change,
// from the exposures it ingested, and still after a restart (rebuilt from segments and Parquet parts).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DirectoryTarget } from "../../../src/plan/target/directory.js";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { waitUntil } from "../../helpers/wait.js";
import { smallRuleset, storeOptions } from "./fixture.js";

const KEY = "checkout_redesign";
const UNITS = Array.from({ length: 200 }, (_, i) => `unit-${i}`);
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function serve(dir: string, sticky: boolean): Promise<RunningServer> {
  return startServer(
    {
      ...storeOptions(join(dir, "published")),
      dataDir: join(dir, "data"),
      keys: [],
      noAuth: true,
      tokenSecret: randomBytes(32),
      reloadIntervalMs: 50,
      ...(sticky ? { stickyExperiments: [KEY] } : {}),
    },
    0,
  );
}

async function assign(srv: RunningServer, unit: string): Promise<string> {
  const res = await fetch(`${srv.url}/v1/assignments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ experimentKey: KEY, userId: unit, context: { country: "US" } }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { variant: string }).variant;
}

const assignAll = async (srv: RunningServer, units = UNITS) => {
  const out: string[] = [];
  for (const u of units) out.push(await assign(srv, u));
  return out;
};

/** Publishes reweighted arms out of band and waits until the server serves them. */
async function reweight(srv: RunningServer, dir: string, weights: [number, number]): Promise<void> {
  const target = new DirectoryTarget(join(dir, "published"));
  const cur = (await target.current())!;
  await target.publish(smallRuleset(cur.version + 1, weights), { expectedVersion: cur.version, expectedChecksum: cur.checksum });
  const served = async () => ((await (await fetch(`${srv.url}/v1/ruleset`)).json()) as { version: number }).version === cur.version + 1;
  assert.ok(await waitUntil(served, 15_000, 20), "the server picks up the new weights");
}

async function setUp(sticky: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "exp-sticky-"));
  dirs.push(dir);
  await new DirectoryTarget(join(dir, "published")).publish(smallRuleset(1, [5000, 5000]), {
    expectedVersion: undefined,
    expectedChecksum: undefined,
  });
  return { dir, srv: await serve(dir, sticky) };
}

describe("sticky bandit assignments on the server", () => {
  test("enrolled units keep their arm after reweighting and after a restart; new units follow the new weights", async () => {
    const { dir, srv } = await setUp(true);
    const before = await assignAll(srv);
    await reweight(srv, dir, [1000, 9000]);
    assert.deepEqual(await assignAll(srv), before);
    const fresh = await assignAll(
      srv,
      UNITS.map((u) => `new-${u}`),
    );
    assert.ok(fresh.filter((v) => v === "one_page").length > 0.8 * fresh.length, "new units follow the new weights");
    // Part of the history goes to Parquet, part stays in segments: a restart reads both.
    await srv.compact();
    assert.ok(
      readdirSync(join(dir, "data", "parquet", "exposures")).some((f) => f.endsWith(".parquet")),
      "compaction wrote a Parquet part",
    );
    const late = await assignAll(srv, ["late-1", "late-2", "late-3"]);
    await srv.close();

    const restarted = await serve(dir, true);
    try {
      assert.deepEqual(await assignAll(restarted), before);
      assert.deepEqual(await assignAll(restarted, ["late-1", "late-2", "late-3"]), late);
    } finally {
      await restarted.close();
    }
  });

  test("an experiment that is not sticky is assigned by the current weights (units switch)", async () => {
    const { dir, srv } = await setUp(false);
    try {
      const before = await assignAll(srv);
      await reweight(srv, dir, [1000, 9000]);
      const afterwards = await assignAll(srv);
      assert.ok(afterwards.filter((v, i) => v !== before[i]).length > UNITS.length / 10);
    } finally {
      await srv.close();
    }
  });
});
