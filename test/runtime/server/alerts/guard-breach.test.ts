import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guardBreachNotice } from "../../../../src/runtime/server/alerts/guard-breach.js";
import { serverLog } from "../../../../src/runtime/server/server-log.js";
import { waitUntil } from "../../../helpers/wait.js";
import { ManualTimers } from "../../sdk/fake-timers.js";
import { loopbackServer, smallRuleset } from "../fixture.js";
import { startWebhookReceiver } from "./webhook-receiver.js";

const BREACH = {
  target: { experiment: "checkout_redesign" },
  metric: "checkout_errors",
  regression: 0.041,
  maxRegression: 0.02,
  action: "pause",
  units: 1200,
} as const;

test("guardBreachNotice: one condition per guarded target and metric, with what was done", () => {
  assert.deepEqual(guardBreachNotice(BREACH), {
    kind: "guard_breach",
    experiment: "checkout_redesign",
    subject: "checkout_errors",
    summary:
      '"checkout_errors" regressed by 4.1% in experiment "checkout_redesign", beyond its max_regression of 2%; it was paused and serves control to everyone',
    details: { metric: "checkout_errors", regression: 0.041, max_regression: 0.02, action: "pause", units: 1200 },
  });
  const rollout = guardBreachNotice({
    target: { flag: "new_search", rule: 1 },
    metric: "p95_page_load",
    regression: 0.12,
    maxRegression: 0.05,
    action: "rollback",
  });
  assert.equal(rollout.experiment, undefined);
  assert.equal(rollout.subject, "flag new_search rule 1 p95_page_load");
  assert.match(rollout.summary, /in the rollout of flag "new_search" \(rule 1\), .*; it was rolled back and serves the flag's default$/);
  assert.deepEqual(rollout.details, {
    flag: "new_search",
    rule: 1,
    metric: "p95_page_load",
    regression: 0.12,
    max_regression: 0.05,
    action: "rollback",
  });
});

test("a guard breach notified to a running server reaches a Slack and a JSON webhook once while the guard keeps finding it", async () => {
  const [slack, json] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
  const dir = mkdtempSync(join(tmpdir(), "exp-serve-guard-"));
  let clock = Date.parse("2026-11-21T12:00:00Z");
  const lines: Record<string, any>[] = [];
  const srv = await loopbackServer(dir, smallRuleset(), {
    clock: () => clock,
    log: serverLog(
      (l) => lines.push(JSON.parse(l)),
      () => clock,
    ),
    alerts: {
      webhooks: [
        { name: "chat", url: slack.url, format: "slack", kinds: ["guard_breach"] },
        { name: "incidents", url: json.url, format: "json", kinds: ["guard_breach", "srm"] },
      ],
      timers: new ManualTimers(),
      repeatAfterMs: 3_600_000,
    },
  });
  try {
    // The guard re-tests every few seconds and keeps finding the breach: one alert.
    const first = srv.alerts.notify(guardBreachNotice(BREACH));
    assert.ok(first);
    for (let i = 0; i < 10; i++) {
      clock += 5_000;
      assert.equal(srv.alerts.notify(guardBreachNotice(BREACH)), undefined);
    }
    // Another metric of the same experiment is another condition.
    assert.ok(srv.alerts.notify(guardBreachNotice({ ...BREACH, metric: "p95_page_load" })));
    assert.ok(await waitUntil(() => slack.accepted.length === 2 && json.accepted.length === 2));
    assert.equal(json.accepted[0]!.id, first.id);
    assert.deepEqual(json.accepted[0]!.details, {
      metric: "checkout_errors",
      regression: 0.041,
      max_regression: 0.02,
      action: "pause",
      units: 1200,
    });
    assert.equal(json.accepted[0]!.subject, "checkout_errors");
    assert.match(slack.accepted[0]!.text, /^Guard breach in checkout_redesign: "checkout_errors" regressed by 4.1%/);
    // Resolved (the guard was reset after the fix), the same breach alerts again at once.
    srv.alerts.resolve(guardBreachNotice(BREACH));
    assert.ok(srv.alerts.notify(guardBreachNotice(BREACH)));
    assert.ok(await waitUntil(() => json.accepted.length === 3));
    assert.equal(lines.filter((l) => l.msg === "alert" && l.kind === "guard_breach").length, 3);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(metrics, /^exp_alerts_total\{kind="guard_breach"\} 3$/m);
  } finally {
    await srv.close();
    await Promise.all([slack.close(), json.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});
