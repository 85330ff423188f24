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
/** Health checks that must be answered while one slow PUT is pending. */
const HEALTH_CHECKS = 5;

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

  test("/healthz keeps answering while a ruleset that is slow to verify is verified", async () => {
    // An `or` of two copies alternating with `not`, 26 levels: 2^13 leaves in 670 kB, all of which
    // the verifier walks (the verifier that ran on the event loop held it for seconds at a tenth of
    // this size). Beside them, a segment that does not exist: the ruleset is refused as soon as it is
    // verified, so nothing follows verification, and while the PUT is pending the server is reading
    // or verifying it. Verifying it costs hundreds of health checks' worth of work on any machine
    // (or, on a slow one, the whole time budget), so a server whose loop stays free answers several
    // meanwhile; one that verifies on its loop answers only those that reach it before it starts.
    // The budget itself is tested in ruleset-verifier.test.ts, with a worker that never finishes.
    const slow = nested(current, 26, (c, i) => (i % 2 ? { op: "not", arg: c } : { op: "or", args: [c, c] }));
    const e = Object.values(slow.experiments)[0]!;
    e.targeting = { op: "and", args: [e.targeting!, { op: "segment", name: "no_such_segment" }] };
    slow.checksum = rulesetChecksum(slow);
    let pending = true;
    const putting = call(srv.url, "PUT", "/v1/ruleset", { body: slow, key: CI }).finally(() => (pending = false));
    let answeredMeanwhile = 0;
    while (pending && answeredMeanwhile < HEALTH_CHECKS) {
      const h = await call(srv.url, "GET", "/healthz");
      assert.equal(h.status, 200);
      if (pending) answeredMeanwhile++;
    }
    const r = await putting;
    assert.equal(answeredMeanwhile, HEALTH_CHECKS, "health checks answered while the PUT was pending");
    assert.equal(r.status, 400, r.text);
    assert.match(String(r.json?.error), /unknown segment "no_such_segment"|took longer than \d+ ms to verify/);
  });
});
