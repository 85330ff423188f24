import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "../../../src/runtime/server/server.js";
import { loopbackServer, smallRuleset } from "./fixture.js";

const PAGE_DIR = new URL("../../../src/runtime/server/live-view/page/", import.meta.url);

describe("GET /live: the live view's page", () => {
  let srv: RunningServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-live-page-"));
    srv = await loopbackServer(dir, smallRuleset(1));
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("is HTML that loads only its own files, under a policy that allows nothing else", async () => {
    const res = await fetch(`${srv.url}/live`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy")!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|https?:/);
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    const html = await res.text();
    assert.match(html, /<html lang="en">/);
    const loads = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(loads.sort(), ["live/live-view.css", "live/live-view.mjs"]);
    assert.doesNotMatch(html, /<script>|<style>|style="/, "no inline script or style");
  });

  test("serves every file of the page with its type, and nothing else", async () => {
    const types: Record<string, string> = { mjs: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };
    for (const name of readdirSync(PAGE_DIR).filter((f) => !f.endsWith(".html"))) {
      const res = await fetch(`${srv.url}/live/${name}`);
      assert.equal(res.status, 200, name);
      assert.equal(res.headers.get("content-type"), types[name.slice(name.lastIndexOf(".") + 1)], name);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      for (const m of (await res.text()).matchAll(/from "\.\/([^"]+)"/g))
        assert.ok(readdirSync(PAGE_DIR).includes(m[1]!), `${name} imports ${m[1]}`);
    }
    assert.equal((await fetch(`${srv.url}/live/missing.mjs`)).status, 404);
    assert.equal((await fetch(`${srv.url}/live/..%2Fpackage.json`)).status, 404);
  });

  test("its files ship in the package", () => {
    const r = spawnSync("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const packed = new Set((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    for (const name of readdirSync(PAGE_DIR)) assert.ok(packed.has(`src/runtime/server/live-view/page/${name}`), name);
    assert.ok(packed.has("dist/src/runtime/server/routes/live-view.js"));
  });
});
