import { test } from "node:test";
import assert from "node:assert/strict";
import { Alerts, type AlertSinkOptions } from "../../../../src/runtime/server/alerts/alerts.js";
import type { WebhookTarget } from "../../../../src/runtime/server/alerts/webhook.js";
import { ServerMetrics } from "../../../../src/runtime/server/metrics.js";
import { serverLog } from "../../../../src/runtime/server/server-log.js";
import { waitUntil } from "../../../helpers/wait.js";
import { ManualTimers } from "../../sdk/fake-timers.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

const SRM = { kind: "srm", experiment: "checkout_redesign", summary: "the units per variant do not match the weights" } as const;

/** Alerts to the receivers' webhooks, on timers the test fires, logging into `lines`. */
function alertsTo(receivers: [string, WebhookReceiver, WebhookTarget["format"]?][], extra: Partial<AlertSinkOptions> = {}) {
  const timers = new ManualTimers();
  const lines: Record<string, any>[] = [];
  const metrics = new ServerMetrics();
  let clock = Date.parse("2026-11-21T12:00:00Z");
  const webhooks = receivers.map(([name, r, format]) => ({
    name,
    url: r.url,
    format: format ?? "json",
    kinds: ["srm", "guard_breach", "ingest_anomaly"] as const,
  }));
  const alerts = new Alerts(
    { webhooks, timers, random: () => 1, delivery: { baseDelayMs: 1_000, maxAttempts: 4 }, ...extra },
    () => clock,
    serverLog(
      (l) => lines.push(JSON.parse(l)),
      () => clock,
    ),
    metrics,
  );
  return { alerts, timers, lines, metrics, advance: (ms: number) => (clock += ms) };
}

/** Failed attempts logged for `webhook`: each is logged once its answer (or its absence) is known. */
function failures(lines: Record<string, any>[], webhook: string): number {
  return lines.filter((l) => l.msg === "alert delivery failed" && l.webhook === webhook).length;
}

async function withReceivers(n: number, body: (...r: WebhookReceiver[]) => Promise<void>): Promise<void> {
  const receivers = await Promise.all(Array.from({ length: n }, () => startWebhookReceiver()));
  try {
    await body(...receivers);
  } finally {
    await Promise.all(receivers.map((r) => r.close()));
  }
}

test("an alert reaches the webhook as the generic JSON body, and its delivery is a server log line that never names the URL", () =>
  withReceivers(1, async (r) => {
    const { alerts, lines, metrics } = alertsTo([["ops", r]]);
    const alert = alerts.notify({ ...SRM, details: { p_value: 1e-9 } })!;
    assert.ok(await waitUntil(() => r.accepted.length === 1));
    assert.deepEqual(r.accepted[0], {
      version: 1,
      id: alert.id,
      kind: "srm",
      experiment: "checkout_redesign",
      summary: SRM.summary,
      at: "2026-11-21T12:00:00.000Z",
      details: { p_value: 1e-9 },
    });
    assert.ok(await waitUntil(() => lines.some((l) => l.msg === "alert delivered")));
    const delivered = lines.find((l) => l.msg === "alert delivered")!;
    assert.deepEqual(
      { level: delivered.level, webhook: delivered.webhook, alert: delivered.alert, attempt: delivered.attempt },
      { level: "info", webhook: "ops", alert: alert.id, attempt: 1 },
    );
    assert.ok(lines.some((l) => l.msg === "alert" && l.level === "warn" && l.kind === "srm"));
    assert.ok(!JSON.stringify(lines).includes("s3cr3t"));
    assert.match(metrics.render(), /^exp_alerts_sent_total\{webhook="ops"\} 1$/m);
    assert.match(metrics.render(), /^exp_alerts_total\{kind="srm"\} 1$/m);
    alerts.close();
  }));

test("a Slack webhook gets a message with text and blocks, with markup in the alert escaped", () =>
  withReceivers(1, async (r) => {
    const { alerts } = alertsTo([["chat", r, "slack"]]);
    alerts.notify({
      kind: "guard_breach",
      experiment: "checkout_redesign",
      summary: "errors <up> & away",
      details: { metric: "checkout_errors" },
    });
    assert.ok(await waitUntil(() => r.accepted.length === 1));
    const body = r.accepted[0]!;
    assert.equal(body.text, "Guard breach in checkout_redesign: errors &lt;up&gt; &amp; away");
    assert.deepEqual(
      body.blocks.map((b: { type: string }) => b.type),
      ["header", "section", "section", "context"],
    );
    assert.equal(body.blocks[2].text.text, "*metric*: checkout_errors");
    alerts.close();
  }));

test("failed deliveries are retried with backoff until the receiver takes the alert", () =>
  withReceivers(1, async (r) => {
    r.failNext(2, 503);
    const { alerts, timers, lines, metrics } = alertsTo([["ops", r]]);
    alerts.notify(SRM);
    for (const attempt of [1, 2]) {
      assert.ok(
        await waitUntil(() => failures(lines, "ops") === attempt && timers.armed === 1),
        `attempt ${attempt} failed, a retry is armed`,
      );
      timers.fireAll();
    }
    assert.ok(await waitUntil(() => r.accepted.length === 1));
    assert.equal(r.attempts, 3);
    // Full jitter with random() = 1: the exponential cap itself, 1 s then 2 s.
    assert.deepEqual(
      timers.delays.filter((ms) => ms !== 10_000),
      [1_000, 2_000],
    );
    assert.ok(await waitUntil(() => lines.some((l) => l.msg === "alert delivered")));
    assert.deepEqual(
      lines.filter((l) => l.msg.startsWith("alert deliver")).map((l) => [l.msg, l.attempt]),
      [
        ["alert delivery failed", 1],
        ["alert delivery failed", 2],
        ["alert delivered", 3],
      ],
    );
    assert.match(metrics.render(), /^exp_alert_retries_total\{webhook="ops"\} 2$/m);
    alerts.close();
  }));

test("an alert the receiver refuses (4xx), or still fails at the last attempt, is given up, logged and counted", () =>
  withReceivers(2, async (refusing, down) => {
    refusing.failNext(1, 400);
    down.failNext(100, 500);
    const { alerts, timers, lines, metrics } = alertsTo([
      ["refusing", refusing],
      ["down", down],
    ]);
    alerts.notify(SRM);
    for (let attempt = 1; attempt < 4; attempt++) {
      assert.ok(await waitUntil(() => failures(lines, "down") === attempt && timers.armed === 1));
      timers.fireAll();
    }
    assert.ok(await waitUntil(() => lines.filter((l) => l.msg === "alert not delivered").length === 2));
    assert.equal(refusing.attempts, 1);
    assert.equal(down.attempts, 4);
    const text = metrics.render();
    assert.match(text, /^exp_alerts_failed_total\{webhook="down"\} 1$/m);
    assert.match(text, /^exp_alerts_failed_total\{webhook="refusing"\} 1$/m);
    alerts.close();
  }));

test("a hanging receiver blocks neither notify nor another webhook; its attempts time out, and its queue stays bounded", () =>
  withReceivers(2, async (dead, alive) => {
    dead.hang(true);
    const { alerts, timers, lines, metrics } = alertsTo(
      [
        ["dead", dead],
        ["alive", alive],
      ],
      { delivery: { maxQueue: 2, timeoutMs: 10_000, baseDelayMs: 1_000, maxAttempts: 4 } },
    );
    for (const experiment of ["a", "b", "c", "d"]) assert.ok(alerts.notify({ ...SRM, experiment }), "notify returns at once");
    const delivered = () => lines.filter((l) => l.msg === "alert delivered" && l.webhook === "alive").length;
    assert.ok(await waitUntil(() => delivered() === 2), "the live webhook got what its queue held");
    assert.ok(await waitUntil(() => dead.attempts === 1 && timers.armed === 1), "the dead one's attempt waits on its timeout");
    assert.deepEqual(alerts.queued(), { dead: 2, alive: 0 });
    assert.match(metrics.render(), /^exp_alerts_dropped_total\{webhook="dead"\} 2$/m);
    assert.equal(lines.filter((l) => l.msg === "alert dropped: the webhook's queue is full" && l.webhook === "dead").length, 2);
    // The attempt's timeout fires: it is abandoned and retried.
    timers.fireAll();
    assert.ok(await waitUntil(() => lines.some((l) => l.msg === "alert delivery failed" && /no answer within 10000 ms/.test(l.error))));
    dead.hang(false);
    timers.fireAll();
    assert.ok(await waitUntil(() => dead.accepted.length === 2), "once the receiver answers, the queue drains");
    alerts.close();
  }));

test("a persisting condition alerts once per repeat interval, and again at once after it was resolved", () =>
  withReceivers(1, async (r) => {
    const { alerts, advance } = alertsTo([["ops", r]], { repeatAfterMs: 3_600_000 });
    assert.ok(alerts.notify(SRM));
    advance(60_000);
    assert.equal(alerts.notify(SRM), undefined, "the same condition a minute later");
    assert.ok(alerts.notify({ ...SRM, experiment: "other" }), "another experiment is another condition");
    assert.ok(alerts.notify({ ...SRM, kind: "ingest_anomaly", subject: "drop" }), "another kind is another condition");
    advance(3_600_000);
    assert.ok(alerts.notify(SRM), "a reminder after the repeat interval");
    alerts.resolve(SRM);
    assert.ok(alerts.notify(SRM), "back after being resolved");
    assert.ok(await waitUntil(() => r.accepted.length === 5));
    alerts.close();
  }));

test("a webhook takes only the kinds it lists", () =>
  withReceivers(1, async (r) => {
    const timers = new ManualTimers();
    const alerts = new Alerts(
      { webhooks: [{ name: "guards", url: r.url, format: "json", kinds: ["guard_breach"] }], timers },
      () => 0,
      serverLog(() => {}),
      new ServerMetrics(),
    );
    alerts.notify(SRM);
    alerts.notify({ kind: "guard_breach", experiment: "checkout_redesign", subject: "checkout_errors", summary: "regressed" });
    assert.ok(await waitUntil(() => r.accepted.length === 1));
    assert.equal(r.accepted[0]!.kind, "guard_breach");
    assert.equal(r.attempts, 1);
    alerts.close();
  }));
