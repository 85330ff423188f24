import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { rollback } from "../../../src/plan/rollback.js";
import { HttpTarget } from "../../../src/plan/target/http.js";
import { verifier } from "../../../src/plan/prepare.js";
import { sha256Hex } from "../../../src/runtime/server/auth.js";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { smallRuleset, storeOptions } from "./fixture.js";

let srv: RunningServer;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "exp-http-target-"));
  srv = await startServer(
    {
      ...storeOptions(join(dir, "server-published")),
      dataDir: join(dir, "data"),
      keys: [
        { name: "ci", sha256: sha256Hex("publish-key"), scopes: ["evaluate", "ruleset:write"] },
        { name: "reader", sha256: sha256Hex("read-key"), scopes: ["evaluate"] },
      ],
      tokenSecret: randomBytes(32),
    },
    0,
  );
});
after(() => srv.close());

test("the http publish target against exp serve: publish with compare-and-swap, list versions, roll back, refuse a missing scope", async () => {
  const target = new HttpTarget({ url: srv.url, token: "publish-key", stateDir: join(dir, "client-state"), verify: verifier });
  assert.equal(await target.current(), undefined);
  await target.publish(smallRuleset(1), { expectedVersion: undefined, expectedChecksum: undefined });
  const v1 = (await target.current())!;
  assert.equal(v1.version, 1);
  await assert.rejects(target.publish(smallRuleset(2), { expectedVersion: undefined, expectedChecksum: undefined }), /moved/);
  await target.publish(smallRuleset(2, [8000, 2000]), { expectedVersion: 1, expectedChecksum: v1.checksum });
  assert.deepEqual(await target.versions(), [1, 2]);
  assert.equal((await target.get(1))?.checksum, v1.checksum);
  const rb = await rollback(target, { actor: "ci" });
  assert.equal(rb.to.version, 1);
  assert.equal((await target.current())?.version, 1);
  const res = await fetch(`${srv.url}/v1/assignments`, {
    method: "POST",
    headers: { authorization: "Bearer read-key" },
    body: JSON.stringify({ experimentKey: "checkout_redesign", userId: "u1", context: { country: "US" } }),
  });
  assert.equal(res.status, 200, "the server serves the rolled-back version");
  const reader = new HttpTarget({ url: srv.url, token: "read-key", stateDir: join(dir, "reader-state"), verify: verifier });
  await assert.rejects(reader.publish(smallRuleset(3), { expectedVersion: 1, expectedChecksum: v1.checksum }), /ruleset:write/);
});
