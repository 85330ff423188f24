// The Python SDK's HTTP sink against a real `exp serve` (built CLI) on loopback, with an API key:
// exposures logged once per unit × experiment × phase (from assign and from a flag an experiment
// serves) arrive with the ids the Node SDK and the server give them, tracked events arrive once
// each, an undeclared event is refused by itself, and a second client logging the same exposures
// gets them answered as duplicates, not stored again.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { PYTHON, PYTHON_ENV } from "../../conformance/python.js";
import { keysFile, startServe, stopServe, type Served } from "../server/serve-process.js";
import { storedExposures } from "../server/fixture.js";

const KEY = "python-sdk-key";
const SCRIPT = new URL("./python_http_sink_run.py", import.meta.url).pathname;

interface Run {
  stats: Record<
    "exposures" | "events" | "identities",
    { acknowledged: number; duplicates: number; rejected: number; dropped: number; given_up: number; queued: number }
  >;
  errors: [string, string, number][];
  logged: Record<string, [string, string, string]>;
}

function runPython(url: string): Run {
  const r = spawnSync(PYTHON, [SCRIPT, url, KEY], { env: PYTHON_ENV, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `${PYTHON} ${SCRIPT} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Run;
}

describe("the Python SDK's HTTP sink against exp serve", () => {
  let dir: string;
  let server: Served;
  before(async () => {
    dir = exampleRepo("exp-py-sink-");
    const applied = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(applied.status, 0, applied.stderr);
    const keys = keysFile(dir, { sdk: { key: KEY, scopes: ["evaluate", "ingest"] } });
    server = await startServe(dir, ["--keys", keys]);
  });
  after(async () => {
    await stopServe(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("exposures and events arrive once, with the shared ids; the undeclared event is refused alone; a repeat is a duplicate", () => {
    const first = runPython(server.url);
    const ids = Object.keys(first.logged);
    assert.ok(ids.length > 20, `only ${ids.length} of 100 US web units enrolled`);
    assert.ok(
      Object.values(first.logged).some(([, , reason]) => reason === "experiment"),
      "some units were first exposed by the flag",
    );
    assert.deepEqual(
      [first.stats.exposures.acknowledged, first.stats.exposures.duplicates, first.stats.exposures.rejected],
      [ids.length, 0, 0],
      JSON.stringify(first.errors),
    );
    assert.deepEqual([first.stats.events.acknowledged, first.stats.events.rejected, first.stats.events.given_up], [100, 1, 0]);
    assert.deepEqual(first.errors.length, 1);
    assert.match(first.errors[0]![1], /unknown event "purchse"/);
    assert.deepEqual([first.stats.identities.acknowledged, first.stats.identities.rejected], [1, 0]);

    const data = join(dir, ".exp", "server");
    const stored = storedExposures(data).filter((e) => e.unit_id.startsWith("py_"));
    assert.deepEqual(stored.map((e) => e.id).sort(), [...ids].sort(), "each logged exposure is stored once");
    for (const e of stored) assert.equal(e.variant, first.logged[e.id]![1], `${e.unit_id}: the variant the SDK assigned`);
    const events = readdirSync(join(data, "events")).flatMap((f) =>
      readFileSync(join(data, "events", f), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { id: string; unit_id: string; event: string }),
    );
    const mine = events.filter((e) => e.unit_id.startsWith("py_"));
    assert.equal(mine.length, 100);
    assert.equal(new Set(mine.map((e) => e.id)).size, 100);
    const logins = readdirSync(join(data, "identities")).flatMap((f) =>
      readFileSync(join(data, "identities", f), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
    assert.deepEqual(
      logins.map((l) => [l.anonymous_id, l.unit_id]),
      [["py_anon_0", "py_0"]],
    );

    // Another process logs the same exposures: the same ids, so the server answers duplicates.
    const second = runPython(server.url);
    assert.deepEqual(second.logged, first.logged);
    assert.deepEqual([second.stats.exposures.acknowledged, second.stats.exposures.duplicates], [ids.length, ids.length]);
    assert.equal(storedExposures(data).filter((e) => e.unit_id.startsWith("py_")).length, ids.length);
  });
});
