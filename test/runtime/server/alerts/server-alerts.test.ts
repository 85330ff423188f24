import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALERT_KINDS, type AlertKind } from "../../../../src/runtime/server/alerts/alert.js";
import { createEvaluator } from "../../../../src/runtime/evaluator.js";
import { rulesetChecksum } from "../../../../src/ruleset/checksum.js";
import type { RunningServer } from "../../../../src/runtime/server/server.js";
import { serverLog } from "../../../../src/runtime/server/server-log.js";
import { waitUntil } from "../../../helpers/wait.js";
import { ManualTimers } from "../../sdk/fake-timers.js";
import { loopbackServer, postJson, smallRuleset } from "../fixture.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

const RULESET = smallRuleset();
const START = Date.parse("2026-11-21T12:00:00Z");
const EVERY = 30_000;

/** The variant the fixture's ruleset (or `ruleset`) gives each of `n` US users (u0, u1, …). */
function assignedUsers(n: number, from = 0, ruleset = RULESET): { user: string; variant: string }[] {
  const evaluator = createEvaluator(ruleset);
  return Array.from({ length: n }, (_, i) => {
    const user = `u${from + i}`;
    return { user, variant: evaluator.assign("checkout_redesign", user, { country: "US" }).variant! };
  });
}

/** A server whose alert checks and deliveries run on `timers`, at a clock the test moves, logging into `lines`. */
async function alertingServer(receiver: WebhookReceiver, kinds: readonly AlertKind[] = ALERT_KINDS) {
  const dir = mkdtempSync(join(tmpdir(), "exp-serve-alerts-"));
  const timers = new ManualTimers();
  const lines: Record<string, any>[] = [];
  let clock = START;
  const srv = await loopbackServer(dir, RULESET, {
    clock: () => clock,
    log: serverLog(
      (l) => lines.push(JSON.parse(l)),
      () => clock,
    ),
    alerts: { webhooks: [{ name: "ops", url: receiver.url, format: "json", kinds }], timers, checkEveryMs: EVERY, srmThreshold: 0.001 },
  });
  return {
    srv,
    lines,
    /** Moves the clock to the next check and runs it (and nothing else: no delivery is then in flight). */
    async check(): Promise<void> {
      assert.ok(await waitUntil(() => srv.alerts.queued().ops === 0), "no delivery in flight");
      clock += EVERY;
      assert.equal(timers.armed, 1, "only the check's timer is armed");
      timers.fireAll();
    },
    async close() {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `body` against a receiver and a server alerting it (`kinds` only), and closes both. */
async function withAlertingServer(
  kinds: readonly AlertKind[],
  body: (s: Awaited<ReturnType<typeof alertingServer>>, receiver: WebhookReceiver) => Promise<void>,
  hang = false,
): Promise<void> {
  const receiver = await startWebhookReceiver();
  receiver.hang(hang);
  const s = await alertingServer(receiver, kinds);
  try {
    await body(s, receiver);
  } finally {
    await s.close();
    await receiver.close();
  }
}

async function postExposures(srv: RunningServer, units: { user: string; variant: string }[], phase = 1): Promise<void> {
  const exposures = units.map((u) => ({
    exposureId: `x-${u.user}`,
    experimentKey: "checkout_redesign",
    userId: u.user,
    variant: u.variant,
    phase,
  }));
  const r = await postJson(srv.url, "/v1/exposures", { exposures });
  assert.equal(r.status, 202);
  assert.deepEqual(r.json.rejected, []);
}

async function postEvents(srv: RunningServer, n: number, from: number): Promise<void> {
  const events = Array.from({ length: n }, (_, i) => ({ eventId: `ev-${from + i}`, userId: `u${i}`, eventName: "purchase" }));
  assert.equal((await postJson(srv.url, "/v1/events", { events })).status, 202);
}

test("a planted sample ratio mismatch reaches the webhook once, however many checks find it, and /metrics counts it", () =>
  withAlertingServer(ALERT_KINDS, async (s, receiver) => {
    // Two thirds of one_page's exposures are lost on the way: the classic logging bug behind an SRM.
    const units = assignedUsers(900);
    const kept = units.filter((u, i) => u.variant === "control" || i % 3 === 0);
    await postExposures(s.srv, kept);
    for (let i = 0; i < 5; i++) await s.check();
    // FIFO per webhook: once a later alert arrives, no second SRM alert can be queued before it.
    s.srv.alerts.notify({ kind: "guard_breach", experiment: "checkout_redesign", summary: "sentinel" });
    assert.ok(await waitUntil(() => receiver.accepted.length === 2));
    assert.deepEqual(
      receiver.accepted.map((b) => b.kind),
      ["srm", "guard_breach"],
    );
    const srm = receiver.accepted[0]!;
    assert.equal(srm.experiment, "checkout_redesign");
    assert.ok(srm.details.p_value < 0.001);
    assert.equal(srm.details.threshold, 0.001);
    assert.deepEqual(srm.details.weights, { control: 0.5, one_page: 0.5 });
    assert.equal(srm.details.units.control + srm.details.units.one_page, kept.length);
    assert.match(
      srm.summary,
      /^the units exposed per variant \(control \d+ \(50%\), one_page \d+ \(50%\)\) do not match the weights: p = /,
    );
    assert.equal(srm.at, new Date(START + EVERY).toISOString());
    const metrics = await (await fetch(`${s.srv.url}/metrics`)).text();
    assert.match(metrics, /^exp_alerts_total\{kind="srm"\} 1$/m);
    assert.match(metrics, /^exp_alerts_sent_total\{webhook="ops"\} 2$/m);
    assert.match(metrics, /^exp_alerts_dropped_total\{webhook="ops"\} 0$/m);
  }));

test("a new phase is held to its own exposures: the mismatch of the phase before neither lingers nor hides the next", () =>
  withAlertingServer(["srm"], async (s, receiver) => {
    const oneThirdOfOnePage = (units: { user: string; variant: string }[]) =>
      units.filter((u, i) => u.variant === "control" || i % 3 === 0);
    await postExposures(s.srv, oneThirdOfOnePage(assignedUsers(900)));
    await s.check();
    assert.ok(await waitUntil(() => receiver.accepted.length === 1));
    assert.equal(receiver.accepted[0]!.details.phase, 1);
    // Phase 2 re-randomises: its exposures alone are checked, so a balanced start resolves the alert…
    const phase2 = smallRuleset(2);
    phase2.experiments.checkout_redesign!.phase = 2;
    phase2.checksum = rulesetChecksum(phase2);
    const put = await fetch(`${s.srv.url}/v1/ruleset`, {
      method: "PUT",
      headers: { "if-match": `"${RULESET.checksum}"` },
      body: JSON.stringify(phase2),
    });
    assert.equal(put.status, 200);
    await postExposures(s.srv, assignedUsers(600, 1000, phase2), 2);
    await s.check();
    // …and a mismatch that comes later in it is a new alert, counting the units of phase 2 only.
    const lost = oneThirdOfOnePage(assignedUsers(900, 2000, phase2));
    await postExposures(s.srv, lost, 2);
    await s.check();
    assert.ok(await waitUntil(() => receiver.accepted.length === 2));
    const second = receiver.accepted[1]!;
    assert.equal(second.kind, "srm");
    assert.equal(second.details.phase, 2);
    assert.equal(second.details.units.control + second.details.units.one_page, 600 + lost.length);
  }));

test("a balanced experiment raises no sample ratio alert", () =>
  withAlertingServer(["srm"], async (s, receiver) => {
    await postExposures(s.srv, assignedUsers(900));
    for (let i = 0; i < 3; i++) await s.check();
    s.srv.alerts.notify({ kind: "srm", experiment: "sentinel", summary: "sentinel" });
    assert.ok(await waitUntil(() => receiver.accepted.length === 1));
    assert.equal(receiver.accepted[0]!.experiment, "sentinel");
  }));

test("an experiment's exposures dropping to nothing after an hour at its usual rate is one ingestion alert", () =>
  withAlertingServer(["ingest_anomaly"], async (s, receiver) => {
    // 65 minutes at 20 exposures a minute (the rule: a 5-minute window against the hour before it).
    for (let minute = 0; minute < 65; minute++) {
      await postExposures(s.srv, assignedUsers(20, minute * 20));
      await s.check();
      await s.check();
    }
    assert.equal(receiver.attempts, 0, "a steady rate is no anomaly");
    for (let i = 0; i < 14; i++) await s.check();
    assert.ok(await waitUntil(() => receiver.accepted.length === 1));
    const alert = receiver.accepted[0]!;
    assert.equal(alert.kind, "ingest_anomaly");
    assert.equal(alert.experiment, "checkout_redesign");
    assert.equal(alert.subject, "drop");
    assert.equal(alert.details.recent_per_minute, 0);
    assert.equal(alert.details.baseline_per_minute, 20);
    assert.equal(alert.summary, 'the exposures of "checkout_redesign" dropped to 0.0 a minute, from 20 a minute before');
    assert.equal(receiver.attempts, 1, "one alert while the drop persists");
  }));

test("the event stream spiking tenfold against its recent rate is an ingestion alert", () =>
  withAlertingServer(["ingest_anomaly"], async (s, receiver) => {
    let sent = 0;
    for (let minute = 0; minute < 70; minute++) {
      const n = minute < 65 ? 20 : 400;
      await postEvents(s.srv, n, sent);
      sent += n;
      await s.check();
      await s.check();
    }
    assert.ok(await waitUntil(() => receiver.accepted.length === 1));
    const alert = receiver.accepted[0]!;
    assert.deepEqual([alert.kind, alert.experiment, alert.subject, alert.details.records], ["ingest_anomaly", null, "spike", "events"]);
    assert.ok(alert.details.recent_per_minute > 10 * alert.details.baseline_per_minute);
    assert.equal(receiver.attempts, 1);
  }));

test("a hanging webhook does not hold up serving, and the server still closes", () =>
  withAlertingServer(
    ALERT_KINDS,
    async (s, receiver) => {
      s.srv.alerts.notify({ kind: "guard_breach", experiment: "checkout_redesign", summary: "regressed" });
      assert.ok(await waitUntil(() => receiver.attempts === 1), "the delivery reached the receiver, which does not answer");
      const assigned = await postJson(s.srv.url, "/v1/assignments", {
        experimentKey: "checkout_redesign",
        userId: "u1",
        context: { country: "US" },
      });
      assert.equal(assigned.status, 200);
      assert.equal(assigned.json.inExperiment, true);
      await postExposures(s.srv, assignedUsers(10));
      assert.equal(receiver.accepted.length, 0);
      assert.ok(s.lines.some((l) => l.msg === "alert" && l.kind === "guard_breach"));
    },
    true,
  ));
