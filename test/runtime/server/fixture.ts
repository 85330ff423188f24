import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serverPublisher } from "../../../src/app/server-publish.js";
import { DirectoryTarget } from "../../../src/plan/target/directory.js";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import type { Ruleset } from "../../../src/ruleset/types.js";
import { startServer, type RunningServer, type ServerOptions } from "../../../src/runtime/server/server.js";

/** A small, valid, checksummed ruleset for server tests. */
export function smallRuleset(version = 1, weights: [number, number] = [5000, 5000]): Ruleset {
  const r: Ruleset = {
    schemaVersion: 1,
    hashVersion: 1,
    version,
    createdAt: "2026-11-01T00:00:00.000Z",
    sourceCommit: null,
    checksum: "",
    attributes: { country: "string" },
    segments: {},
    holdouts: {},
    layers: {},
    experiments: {
      checkout_redesign: {
        status: "running",
        phase: 1,
        unit: "user",
        schedule: {},
        holdout: true,
        traffic: 10000,
        targeting: {
          op: "==",
          as: "value",
          args: [
            { op: "attr", name: "country" },
            { op: "lit", value: "US" },
          ],
        },
        variants: [
          { key: "control", weight: weights[0], config: { layout: "classic" } },
          { key: "one_page", weight: weights[1], config: { layout: "one_page" } },
        ],
      },
    },
    flags: {
      new_search: {
        type: "boolean",
        enabled: true,
        variants: { on: true, off: false },
        default: "off",
        prerequisites: [],
        overrides: { user_42: "on" },
        rules: [],
      },
    },
  };
  r.checksum = rulesetChecksum(r);
  return r;
}

/** A directory publish target for a test server, with the publisher `exp serve` puts rulesets through. */
export function storeOptions(dir: string): { store: DirectoryTarget; publisher: ReturnType<typeof serverPublisher> } {
  const store = new DirectoryTarget(dir);
  return { store, publisher: serverPublisher(store) };
}

/** A server on loopback without auth, over a fresh store and data dir under `dir`, serving `ruleset`. */
export async function loopbackServer(dir: string, ruleset: Ruleset, extra: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const srv = await startServer(
    { ...storeOptions(join(dir, "published")), dataDir: join(dir, "data"), keys: [], noAuth: true, tokenSecret: randomBytes(32), ...extra },
    0,
  );
  const put = await fetch(`${srv.url}/v1/ruleset`, { method: "PUT", headers: { "if-none-match": "*" }, body: JSON.stringify(ruleset) });
  if (put.status !== 200) throw new Error(`publishing the test ruleset failed: ${put.status} ${await put.text()}`);
  return srv;
}

/** POSTs a JSON body; the status and the parsed answer. */
export async function postJson(url: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The exposure records a server stored under `dataDir`, from its NDJSON segments. */
export function storedExposures(
  dataDir: string,
): { id: string; unit_id: string; experiment: string; variant: string; phase: number; ts: string }[] {
  const dir = join(dataDir, "exposures");
  return readdirSync(dir).flatMap((f) =>
    readFileSync(join(dir, f), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );
}
