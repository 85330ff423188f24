// Issue 10 §3.4, the server side: a deeply nested ruleset PUT is refused before it is parsed, and
// a ruleset that is slow to verify never holds the event loop, so other requests keep being served.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import type { Condition, Ruleset } from "../../../src/ruleset/types.js";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { call, keysFile, startServe, stopServe, type Served } from "./serve-process.js";

const CI = "ci-key-0123456789";

/** `r` as the next version with the first experiment's targeting wrapped `levels` times by `wrap`. */
function nested(r: Ruleset, levels: number, wrap: (c: Condition, level: number) => Condition): Ruleset {
  const next = structuredClone(r);
  next.version = r.version + 1;
  const e = Object.values(next.experiments)[0]!;
  let c: Condition = e.targeting ?? {
    op: "==",
    as: "value",
    args: [
      { op: "lit", value: 1 },
      { op: "lit", value: 1 },
    ],
  };
  for (let i = 0; i < levels; i++) c = wrap(c, i);
  e.targeting = c;
  next.checksum = rulesetChecksum(next);
  return next;
}

describe("PUT /v1/ruleset is bounded in depth and never stalls the server", () => {
  let dir: string;
  let srv: Served;
  let current: Ruleset;
  before(async () => {
    dir = exampleRepo("exp-serve-bounds-");
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    const keys = keysFile(dir, { ci: { key: CI, scopes: ["evaluate", "ruleset:write"] } });
    srv = await startServe(dir, ["--keys", keys]);
    current = (await call(srv.url, "GET", "/v1/ruleset", { key: CI })).json as unknown as Ruleset;
  });
  after(async () => {
    await stopServe(srv.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a 500-level nested not is refused with 400 naming the depth limit", async () => {
    const deep = nested(current, 500, (c) => ({ op: "not", arg: c }));
    const r = await call(srv.url, "PUT", "/v1/ruleset", { body: deep, key: CI });
    assert.equal(r.status, 400, r.text);
    assert.match(String(r.json?.error), /nests deeper than 256 levels/);
  });

  test("/healthz keeps answering while a large ruleset is verified", async () => {
    // Alternating `or` of two copies and `not`: shallow, but each level doubles what the verifier
    // walks. Whether it verifies in time or hits the budget depends on the machine; either way the
    // health checks sent meanwhile are answered. That verification runs off the event loop, whatever
    // its speed, is proved in ruleset-verifier.test.ts with a worker that never finishes.
    const slow = nested(current, 22, (c, i) => (i % 2 ? { op: "not", arg: c } : { op: "or", args: [c, c] }));
    let pending = true;
    const putting = call(srv.url, "PUT", "/v1/ruleset", { body: slow, key: CI }).finally(() => (pending = false));
    do {
      const h = await call(srv.url, "GET", "/healthz");
      assert.equal(h.status, 200);
    } while (pending);
    const r = await putting;
    assert.ok(r.status === 200 || r.status === 400, r.text);
  });
});
