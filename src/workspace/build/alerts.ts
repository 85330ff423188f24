import type { AlertKind, AlertSettings, AlertWebhook, IngestAnomalySettings } from "../model.js";
import { WorkspaceCodes as C } from "../codes.js";
import type { FileBuild } from "./context.js";

type Raw = Record<string, any>;

const ALL_KINDS: AlertKind[] = ["guard_breach", "srm", "ingest_anomaly"];

/** docs/alerts.md defaults, for whatever `alerts:` leaves out. */
export const DEFAULT_ALERTS: Omit<AlertSettings, "webhooks"> = {
  repeat_after: { seconds: 3600, text: "1h" },
  ingest_anomaly: {
    window: { seconds: 300, text: "5m" },
    baseline: { seconds: 3600, text: "1h" },
    drop_below: 0.1,
    spike_above: 10,
    min_events: 100,
  },
};

/** exp.yaml `alerts:`, schema-valid: defaults filled, each webhook URL checked where it is written. */
export function buildAlerts(b: FileBuild, raw: Raw): AlertSettings {
  const webhooks = Object.entries((raw.webhooks ?? {}) as Record<string, Raw>).map(([name, w]): AlertWebhook => {
    checkUrl(b, `alerts.webhooks.${name}.url`, w.url as string);
    return { name, url: w.url, format: w.format ?? "json", kinds: w.kinds ?? [...ALL_KINDS] };
  });
  return {
    webhooks,
    repeat_after: raw.repeat_after ? b.duration("alerts.repeat_after", raw.repeat_after) : DEFAULT_ALERTS.repeat_after,
    ingest_anomaly: ingestAnomaly(b, raw.ingest_anomaly ?? {}),
  };
}

function ingestAnomaly(b: FileBuild, raw: Raw): IngestAnomalySettings {
  const path = "alerts.ingest_anomaly";
  const d = DEFAULT_ALERTS.ingest_anomaly;
  const rule: IngestAnomalySettings = {
    window: raw.window ? b.duration(`${path}.window`, raw.window) : d.window,
    baseline: raw.baseline ? b.duration(`${path}.baseline`, raw.baseline) : d.baseline,
    drop_below: raw.drop_below !== undefined ? b.share(`${path}.drop_below`, raw.drop_below) : d.drop_below,
    spike_above: raw.spike_above ?? d.spike_above,
    min_events: raw.min_events ?? d.min_events,
  };
  if (rule.drop_below >= 1)
    b.report(
      C.outOfRange,
      `"${path}.drop_below" is ${raw.drop_below}, which is not a drop; write a share below 100%, such as 10%`,
      b.span(`${path}.drop_below`),
    );
  if (rule.window.seconds >= rule.baseline.seconds)
    b.report(
      C.outOfRange,
      `"${path}.window" (${rule.window.text}) is not shorter than its baseline (${rule.baseline.text}); make the window the shorter`,
      b.span(raw.window ? `${path}.window` : `${path}.baseline`),
      "e.g. window: 5m with baseline: 1h",
    );
  return rule;
}

/** A literal URL must be http(s); `env:NAME` is resolved when the server starts, so a secret URL stays out of git. */
function checkUrl(b: FileBuild, path: string, url: string): void {
  if (url.startsWith("env:")) {
    if (!/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(url))
      b.report(C.badWebhookUrl, `"${path}" names no environment variable; write env:NAME, such as env:SLACK_WEBHOOK_URL`, b.span(path));
    return;
  }
  let protocol = "";
  try {
    protocol = new URL(url).protocol;
  } catch {
    // Reported below, as an unreadable URL.
  }
  if (protocol !== "http:" && protocol !== "https:")
    b.report(
      C.badWebhookUrl,
      `"${path}" is not an http(s) URL; write the webhook's https:// URL, or env:NAME to read it from the environment`,
      b.span(path),
      "url: env:SLACK_WEBHOOK_URL",
    );
}
