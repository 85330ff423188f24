import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, RulesetLoadError } from "../../src/runtime/client.js";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { flag, shopWorkspace, workspace } from "./fixture.js";
import { waitUntil } from "../helpers/wait.js";

const T0 = Date.parse("2026-12-10T00:00:00Z");
const v1 = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z", version: 1 }).value;
const killed = shopWorkspace();
killed.flags.get("max_results")!.enabled = false;
const v2 = compileRuleset(killed, { createdAt: "2026-12-02T00:00:00Z", version: 2 }).value;

/** A tiny ruleset server on 127.0.0.1 whose current answer the test controls. */
async function serve() {
  const state: { body: string; etag: string; status: number; requests: { ifNoneMatch?: string; auth?: string }[] } = {
    body: JSON.stringify(v1),
    etag: `"${v1.checksum}"`,
    status: 200,
    requests: [],
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.requests.push({ ifNoneMatch: req.headers["if-none-match"] as string | undefined, auth: req.headers.authorization });
    if (req.url !== "/v1/ruleset") return void res.writeHead(404).end();
    if (state.status !== 200) return void res.writeHead(state.status).end("{}");
    if (req.headers["if-none-match"] === state.etag) return void res.writeHead(304).end();
    res.writeHead(200, { "content-type": "application/json", etag: state.etag }).end(state.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { state, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("SDK createClient", () => {
  test("from a ruleset object, its text, and a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-client-"));
    const file = join(dir, "ruleset.json");
    writeFileSync(file, JSON.stringify(v1));
    for (const opts of [{ ruleset: v1 }, { ruleset: JSON.stringify(v1) }, { file }]) {
      const c = await createClient({ ...opts, now: () => T0 });
      assert.equal(c.evaluate("max_results", "u", { account_age_days: 400, email: "a@b" }).value, 50);
      assert.equal(c.assign("old_test", "u").reasons[0], "not_running");
      assert.ok(Object.keys(c.evaluateAll("u").flags).length > 3);
      c.close();
    }
  });

  test("a tampered ruleset or a missing file is rejected with diagnostics", async () => {
    const bad: Ruleset = structuredClone(v1);
    bad.flags.max_results!.default = "many";
    await assert.rejects(
      createClient({ ruleset: bad }),
      (e: unknown) => e instanceof RulesetLoadError && e.diagnostics[0]!.code === "EXP5011",
    );
    await assert.rejects(
      createClient({ file: "/nonexistent/ruleset.json" }),
      (e: unknown) => e instanceof RulesetLoadError && e.diagnostics[0]!.code === "EXP5013",
    );
  });

  test("polls GET /v1/ruleset with ETag, keeps the last good ruleset on failures", async () => {
    const srv = await serve();
    const errors: string[][] = [];
    const c = await createClient({
      url: srv.url,
      pollIntervalMs: 0,
      headers: { authorization: "Bearer k" },
      now: () => T0,
      onError: (d) => errors.push(d.map((x) => x.code)),
    });
    try {
      const who = { account_age_days: 400, email: "a@b" };
      assert.equal(c.ruleset.version, 1);
      assert.equal(srv.state.requests[0]!.auth, "Bearer k");
      assert.equal(await c.refresh(), false, "304 keeps the current ruleset");
      assert.equal(srv.state.requests[1]!.ifNoneMatch, `"${v1.checksum}"`);

      srv.state.body = JSON.stringify({ ...v2, checksum: "0".repeat(64) });
      srv.state.etag = '"bad"';
      assert.equal(await c.refresh(), false);
      assert.deepEqual(errors.at(-1), ["EXP5011"]);
      assert.equal(c.evaluate("max_results", "u", who).value, 50, "still serving v1");

      srv.state.status = 500;
      assert.equal(await c.refresh(), false);
      assert.deepEqual(errors.at(-1), ["EXP5013"]);

      srv.state.status = 200;
      srv.state.body = JSON.stringify(v2);
      srv.state.etag = `"${v2.checksum}"`;
      assert.equal(await c.refresh(), true);
      assert.equal(c.ruleset.version, 2);
      assert.equal(c.lastError, undefined);
      assert.deepEqual([c.evaluate("max_results", "u", who).value, c.evaluate("max_results", "u", who).reason], [10, "disabled"]);
    } finally {
      c.close();
      await srv.close();
    }
  });

  test("the poll timer picks up a new version by itself", async () => {
    const srv = await serve();
    let updated: number | undefined;
    const c = await createClient({ url: `${srv.url}/v1/ruleset`, pollIntervalMs: 20, onUpdate: (r) => (updated = r.version) });
    try {
      srv.state.body = JSON.stringify(v2);
      srv.state.etag = `"${v2.checksum}"`;
      await waitUntil(() => updated !== undefined);
      assert.equal(updated, 2);
      assert.equal(c.ruleset.version, 2);
    } finally {
      c.close();
      await srv.close();
    }
  });

  test("an unreachable server on first load rejects", async () => {
    await assert.rejects(createClient({ url: "http://127.0.0.1:1", pollIntervalMs: 0 }), RulesetLoadError);
  });

  test("a minimal workspace round-trips", async () => {
    const r = compileRuleset(workspace({ flags: [flag("f")] })).value;
    const c = await createClient({ ruleset: r });
    assert.deepEqual(c.evaluate("f", "u"), { flag: "f", value: false, variant: "off", reason: "default", rule: null });
  });
});
