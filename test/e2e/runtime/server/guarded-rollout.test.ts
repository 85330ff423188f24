// Issue 13 acceptance: SDK traffic through a guarded rollout on a real exp serve (over loopback, on a
// simulated clock) with a planted regression. The guard breaks glass within 5 simulated minutes: the
// SDK serves the default, the webhook receiver gets the alert, /v1/guards and /metrics show it, exp
// plan reports the drift, and `exp guardrails --guards` writes the same change into git. A rollout
// step gated on the guard is taken through the same server once each arm has its units and shows no
// regression: the SDK then serves it to everyone, exp plan reports it, and --guards writes its date.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, mkdtempSync, writeFileSync, appendFileSync } from "node:fs";
import { createServer } from "node:http";
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
import { FILES, GUARD_KEY, START, gatedFiles } from "../../../runtime/server/guards/guarded-rollout.js";

const UNITS_PER_MINUTE = 400;
const SEED = 20261201;

interface Rig {
  dir: string;
  server: RunningServer;
  client: Client;
  sink: HttpSink;
  clock: { now: number };
  alerts: { kind?: string; summary?: string }[];
  close(): Promise<void>;
}

/** A committed and applied workspace with the guarded rollout, its exp serve, a webhook receiver and an SDK client, all on one simulated clock. */
async function guardedServe(files = FILES): Promise<Rig> {
  const alerts: Rig["alerts"] = [];
  const hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      alerts.push(JSON.parse(body) as { kind?: string });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  const dir = workspaceFromTree(files);
  appendFileSync(join(dir, "exp.yaml"), `alerts:\n  webhooks:\n    oncall:\n      url: "env:GUARD_HOOK"\n      format: json\n`);
  writeFileSync(join(dir, ".gitignore"), ".exp/\n");
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "a guarded rollout");
  const applied = exp(dir, ["apply", "--auto-approve"]);
  assert.equal(applied.status, 0, applied.stderr);
  const dataDir = mkdtempSync(join(tmpdir(), "exp-guard-data-"));
  const ws = await loadWorkspace(dir);
  const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const clock = { now: START };
  const { server } = await serveWorkspace(ws.value!, {
    port: 0,
    host: "127.0.0.1",
    dataDir,
    keys: [],
    noAuth: true,
    clock: () => clock.now,
    env: { GUARD_HOOK: url },
    quiet: true,
  });
  const sink = createHttpSink({ url: server.url, now: () => clock.now, flushIntervalMs: 60_000 });
  const client = await createClient({ url: `${server.url}/v1/ruleset`, now: () => clock.now, exposureSink: sink, tracker: sink });
  return {
    dir,
    server,
    client,
    sink,
    clock,
    alerts,
    close: async () => {
      client.close();
      await sink.close();
      await server.close();
      await new Promise<void>((resolve) => hook.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One simulated minute of traffic: UNITS_PER_MINUTE new units evaluate the flag through the SDK
 * (which logs their side), and half a minute later those that click, with their side's probability,
 * track a click; then the guard looks. True once the guard has broken glass.
 */
async function minute(r: Rig, m: number, rates: { on: number; off: number }, random: () => number): Promise<boolean> {
  r.clock.now = START + m * 60_000;
  const clicks: string[] = [];
  for (let i = 0; i < UNITS_PER_MINUTE; i++) {
    const unit = `u${m}-${i}`;
    if (random() < (r.client.evaluate("new_checkout", unit).value === true ? rates.on : rates.off)) clicks.push(unit);
  }
  await r.sink.flush();
  r.clock.now += 30_000;
  for (const unit of clicks) r.client.track({ userId: unit, eventName: "click" });
  await r.sink.flush();
  await r.server.guards.check();
  return r.server.guards.status(GUARD_KEY)?.state === "breached";
}

const rigs: Rig[] = [];
after(async () => {
  for (const r of rigs) await r.close();
});

test("a planted regression on a guarded rollout is stopped within 5 simulated minutes, alerted, drifted and written to git", async () => {
  const r = await guardedServe();
  rigs.push(r);
  const { server, client, dir, alerts } = r;
  const random = mulberry32(SEED);
  console.log(`seed ${SEED}`);
  const started = performance.now();
  let breachedAt: number | undefined;
  // The planted regression: units served the rollout click on errors four times as often.
  for (let m = 1; m <= 10 && breachedAt === undefined; m++) if (await minute(r, m, { on: 0.2, off: 0.05 }, random)) breachedAt = m;
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

test("the same rollout without a regression is watched for half an hour of simulated traffic and never breaks glass", async () => {
  const r = await guardedServe();
  rigs.push(r);
  const seed = SEED + 1;
  console.log(`seed ${seed}`);
  const random = mulberry32(seed);
  for (let m = 1; m <= 30; m++) assert.equal(await minute(r, m, { on: 0.1, off: 0.1 }, random), false, `minute ${m}`);
  const status = r.server.guards.status(GUARD_KEY)!;
  assert.equal(status.state, "watching");
  assert.ok(status.units.rollout! > 1000 && status.units.default! > 1000, JSON.stringify(status.units));
  assert.equal(r.client.ruleset.version, 1);
  assert.deepEqual(r.alerts, []);
});

test("a rollout step gated on the guard is taken through exp serve once each arm has its units without a regression", async () => {
  const AFTER_UNITS = 600;
  const r = await guardedServe(gatedFiles(AFTER_UNITS));
  rigs.push(r);
  const { server, client, dir } = r;
  const seed = SEED + 2;
  console.log(`seed ${seed}`);
  const random = mulberry32(seed);
  const servedVersion = async () => ((await (await fetch(`${server.url}/v1/ruleset`)).json()) as { version: number }).version;
  // The rollout halves the error clicks: no regression, so the step to 100% is taken once the arms have the units.
  let advancedAt: number | undefined;
  for (let m = 1; m <= 20 && advancedAt === undefined; m++) {
    assert.equal(await minute(r, m, { on: 0.1, off: 0.2 }, random), false, `minute ${m}`);
    if ((await servedVersion()) > 1) advancedAt = m;
  }
  assert.ok(advancedAt !== undefined, "the gated step was never taken");
  const status = server.guards.status(GUARD_KEY)!;
  assert.equal(status.state, "watching");
  assert.ok(
    Object.values(status.units).every((n) => n >= AFTER_UNITS),
    `taken after ${advancedAt} simulated minutes with ${JSON.stringify(status.units)} units`,
  );
  console.log(`gated step taken after ${advancedAt} simulated minute(s) with ${JSON.stringify(status.units)} units`);
  const version = await servedVersion();
  assert.equal(version, 2);
  // The SDK follows the stream to the new version and serves the rollout to every unit.
  assert.ok(await waitUntil(() => client.ruleset.version === version, 15_000), "the SDK gets the advanced ruleset");
  // At 100% every unit gets the rollout, except those in the workspace's holdout (which the rule honours).
  const reasons = new Set(Array.from({ length: 200 }, (_, i) => client.evaluate("new_checkout", `later-${i}`).reason));
  assert.deepEqual([...reasons].sort(), ["holdout", "rollout"]);
  // Taken once: more traffic publishes nothing more.
  await minute(r, advancedAt + 1, { on: 0.1, off: 0.2 }, random);
  assert.equal(await servedVersion(), 2);

  const plan = exp(dir, ["plan", "--format", "json"]);
  const drift = (JSON.parse(plan.stdout) as { drift?: { cause: string } }).drift;
  assert.match(drift?.cause ?? "", /guard "rollout:new_checkout:everyone" took step 2/, plan.stdout + plan.stderr);

  const written = exp(dir, ["guardrails", "--guards", "--format", "json"]);
  assert.equal(written.status, 0, written.stderr);
  const changes = JSON.parse(written.stdout) as { guard: string; file: string; set: { rule?: string; step?: number; at?: string } }[];
  assert.equal(changes.length, 1, written.stdout);
  assert.deepEqual(
    [changes[0]!.guard, changes[0]!.file, changes[0]!.set.rule, changes[0]!.set.step],
    [GUARD_KEY, "flags/new_checkout.yaml", "everyone", 2],
  );
  const takenAt = changes[0]!.set.at!;
  // Taken at the server's clock during the minute it was seen (the server's own timer may look before the test does).
  const taken = Date.parse(takenAt);
  assert.ok(taken > START + (advancedAt - 1) * 60_000 && taken <= START + advancedAt * 60_000 + 30_000, takenAt);
  const yaml = readFileSync(join(dir, "flags/new_checkout.yaml"), "utf8");
  assert.doesNotMatch(yaml, /after_units/);
  const ws = await loadWorkspace(dir);
  const rule = ws.value?.flags.get("new_checkout")?.rules[0];
  const steps = rule?.kind === "rollout" ? rule.steps : [];
  assert.deepEqual(
    steps?.map((st) => [st.percent, st.at === undefined ? undefined : Date.parse(String(st.at))]),
    [
      [50, START],
      [100, Date.parse(takenAt)],
    ],
    yaml,
  );
});
