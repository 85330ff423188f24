import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { serverAlerts } from "../../../../src/app/server-alerts.js";
import { ExpError } from "../../../../src/diagnostics/errors.js";
import { loadWorkspace } from "../../../../src/workspace/load.js";
import type { Workspace } from "../../../../src/workspace/model.js";
import { FIXTURES, workspaceFromTree } from "../../../workspace/fixture-tree.js";

async function withAlerts(alerts: string, body: (ws: Workspace) => void): Promise<void> {
  const base = readFileSync(join(FIXTURES, "_base", "exp.yaml"), "utf8");
  const dir = workspaceFromTree({ "exp.yaml": `${base}defaults:\n  srm_threshold: 0.005\n${alerts}` });
  try {
    const r = await loadWorkspace(dir);
    assert.deepEqual(r.diagnostics, []);
    body(r.value!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("exp.yaml alerts: become the server's options, URLs read from the environment and defaults filled", () =>
  withAlerts(
    [
      "alerts:",
      "  webhooks:",
      '    chat: {url: "env:SLACK_WEBHOOK_URL", format: slack}',
      "    pager: {url: https://pager.example.com/exp, kinds: [guard_breach]}",
      "",
    ].join("\n"),
    (ws) => {
      assert.deepEqual(serverAlerts(ws, { SLACK_WEBHOOK_URL: "https://hooks.slack.example/T0/B0/xyz" }), {
        webhooks: [
          { name: "chat", url: "https://hooks.slack.example/T0/B0/xyz", format: "slack", kinds: ["guard_breach", "srm", "ingest_anomaly"] },
          { name: "pager", url: "https://pager.example.com/exp", format: "json", kinds: ["guard_breach"] },
        ],
        repeatAfterMs: 3_600_000,
        srmThreshold: 0.005,
        ingestAnomaly: { windowMs: 300_000, baselineMs: 3_600_000, dropBelow: 0.1, spikeAbove: 10, minEvents: 100 },
      });
    },
  ));

test("the anomaly rule and the repeat interval come from exp.yaml", () =>
  withAlerts(
    [
      "alerts:",
      "  repeat_after: 6h",
      "  ingest_anomaly: {window: 10m, baseline: 2h, drop_below: 25%, spike_above: 4, min_events: 50}",
      "",
    ].join("\n"),
    (ws) => {
      const o = serverAlerts(ws, {})!;
      assert.deepEqual(o.webhooks, []);
      assert.equal(o.repeatAfterMs, 6 * 3_600_000);
      assert.deepEqual(o.ingestAnomaly, { windowMs: 600_000, baselineMs: 7_200_000, dropBelow: 0.25, spikeAbove: 4, minEvents: 50 });
    },
  ));

test("a webhook URL from an environment variable that is not set stops the server with EXP1040 at the setting", () =>
  withAlerts(["alerts:", "  webhooks:", '    chat: {url: "env:SLACK_WEBHOOK_URL"}', ""].join("\n"), (ws) => {
    assert.throws(
      () => serverAlerts(ws, {}),
      (err: unknown) => {
        assert.ok(err instanceof ExpError);
        assert.equal(err.diagnostic.code, "EXP1040");
        assert.match(
          err.diagnostic.message,
          /"alerts\.webhooks\.chat\.url" reads the environment variable "SLACK_WEBHOOK_URL", which is not set/,
        );
        assert.equal(err.diagnostic.span?.line, 20, "the line of the chat webhook");
        return true;
      },
    );
  }));

test("without alerts: the server has no alert options", () => withAlerts("", (ws) => assert.equal(serverAlerts(ws, {}), undefined)));
