// Issue 13 acceptance: SDK traffic through a guarded rollout on a real exp serve (over loopback, on a
// simulated clock) with a planted regression. The guard breaks glass within 5 simulated minutes: the
// SDK serves the default, the webhook receiver gets the alert, /v1/guards and /metrics show it, exp
// plan reports the drift, and `exp guardrails --guards` writes the same change into git.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, mkdtempSync, writeFileSync, appendFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveWorkspace } from "../../../../src/app/serve.js";
import { createClient, type Client } from "../../../../src/runtime/client.js";
import { createHttpSink, type HttpSink } from "../../../../src/runtime/sdk/http-sink.js";
import type { RunningServer } from "../../../../src/runtime/server/server.js";
import { loadWorkspace } from "../../../../src/workspace/load.js";
import { mulberry32 } from "../../../helpers/prng.js";
import { waitUntil } from "../../../helpers/wait.js";
import { exp, git } from "../../../helpers/workspace.js";
import { workspaceFromTree } from "../../../workspace/fixture-tree.js";
import { FILES, GUARD_KEY, START } from "../../../runtime/server/guards/guarded-rollout.js";

const UNITS_PER_MINUTE = 400;
const SEED = 20261201;

let dir: string;
let dataDir: string;
let hook: Server;
const alerts: { kind?: string; summary?: string }[] = [];
let server: RunningServer;
let client: Client;
let sink: HttpSink;
const clock = { now: START };

before(async () => {
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      alerts.push(JSON.parse(body) as { kind?: string });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  dir = workspaceFromTree(FILES);
  appendFileSync(join(dir, "exp.yaml"), `alerts:\n  webhooks:\n    oncall:\n      url: "env:GUARD_HOOK"\n      format: json\n`);
  writeFileSync(join(dir, ".gitignore"), ".exp/\n");
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "a guarded rollout");
  const applied = exp(dir, ["apply", "--auto-approve"]);
  assert.equal(applied.status, 0, applied.stderr);
  dataDir = mkdtempSync(join(tmpdir(), "exp-guard-data-"));
  const ws = await loadWorkspace(dir);
  const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  ({ server } = await serveWorkspace(ws.value!, {
    port: 0,
    host: "127.0.0.1",
    dataDir,
    keys: [],
    noAuth: true,
    clock: () => clock.now,
    env: { GUARD_HOOK: url },
    quiet: true,
  }));
  sink = createHttpSink({ url: server.url, now: () => clock.now, flushIntervalMs: 60_000 });
  client = await createClient({ url: `${server.url}/v1/ruleset`, now: () => clock.now, exposureSink: sink, tracker: sink });
});

after(async () => {
  client?.close();
  await sink?.close();
  await server?.close();
  await new Promise<void>((resolve) => hook.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

test("a planted regression on a guarded rollout is stopped within 5 simulated minutes, alerted, drifted and written to git", async () => {
  const random = mulberry32(SEED);
  console.log(`seed ${SEED}`);
  const started = performance.now();
  let breachedAt: number | undefined;
  for (let minute = 1; minute <= 10 && breachedAt === undefined; minute++) {
    clock.now = START + minute * 60_000;
    const clicks: string[] = [];
    for (let i = 0; i < UNITS_PER_MINUTE; i++) {
      const unit = `u${minute}-${i}`;
      const r = client.evaluate("new_checkout", unit);
      // The planted regression: units served the rollout click on errors four times as often.
      if (random() < (r.value === true ? 0.2 : 0.05)) clicks.push(unit);
    }
    await sink.flush();
    // The clicks come half a minute after the units saw the page.
    clock.now += 30_000;
    for (const unit of clicks) client.track({ userId: unit, eventName: "click" });
    await sink.flush();
    await server.guards.check();
    if (server.guards.status(GUARD_KEY)?.state === "breached") breachedAt = minute;
  }
  assert.ok(breachedAt !== undefined && breachedAt <= 5, `breached after ${breachedAt} simulated minutes`);
  const breach = server.guards.status(GUARD_KEY)!.breach!;
  assert.equal(breach.metric, "error_clicks");
  assert.ok(breach.version !== null);
  // The SDK follows the stream to the break-glass version and serves the default to every unit.
  assert.ok(await waitUntil(() => client.ruleset.version === breach.version, 15_000), "the SDK gets the rolled-back ruleset");
  const stoppedMs = performance.now() - started;
  for (let i = 0; i < 200; i++) {
    const r = client.evaluate("new_checkout", `after-${i}`);
    assert.equal(r.value, false);
    assert.notEqual(r.reason, "rollout");
  }
  console.log(`detected and stopped after ${breachedAt} simulated minute(s), ${(stoppedMs / 1000).toFixed(2)} s real time`);

  assert.ok(await waitUntil(() => alerts.some((a) => a.kind === "guard_breach"), 15_000), "the webhook receives the guard alert");
  const guards = (await (await fetch(`${server.url}/v1/guards`)).json()) as { guards: { key: string; state: string }[] };
  assert.deepEqual(
    guards.guards.map((g) => [g.key, g.state]),
    [[GUARD_KEY, "breached"]],
  );
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /^exp_guard_state\{guard="rollout:new_checkout:everyone",target="flag"\} 2$/m);

  const plan = exp(dir, ["plan", "--format", "json"]);
  const drift = (JSON.parse(plan.stdout) as { drift?: { cause: string } }).drift;
  assert.match(drift?.cause ?? "", /a guard of exp serve .*guard "rollout:new_checkout:everyone" rolled back/, plan.stdout + plan.stderr);

  const written = exp(dir, ["guardrails", "--guards", "--format", "json"]);
  assert.equal(written.status, 0, written.stderr);
  assert.deepEqual(JSON.parse(written.stdout), [{ guard: GUARD_KEY, file: "flags/new_checkout.yaml", set: { enabled: false } }]);
  assert.match(readFileSync(join(dir, "flags/new_checkout.yaml"), "utf8"), /^enabled: false$/m);
  const ws = await loadWorkspace(dir);
  assert.equal(ws.value?.flags.get("new_checkout")?.enabled, false);
});
