import type { Alert } from "./alert.js";

/** How a webhook receiver wants its body: exp's own JSON, or a Slack incoming-webhook message. */
export type WebhookFormat = "json" | "slack";

const TITLES: Record<Alert["kind"], string> = {
  guard_breach: "Guard breach",
  srm: "Sample ratio mismatch",
  ingest_anomaly: "Ingestion anomaly",
};

/** The body a webhook of `format` receives for `alert`. */
export function webhookBody(alert: Alert, format: WebhookFormat): unknown {
  return format === "slack" ? slackBody(alert) : genericBody(alert);
}

/** The generic body: the alert itself, versioned so that receivers can evolve with it. */
export function genericBody(alert: Alert): Record<string, unknown> {
  return {
    version: 1,
    id: alert.id,
    kind: alert.kind,
    experiment: alert.experiment ?? null,
    ...(alert.subject !== undefined ? { subject: alert.subject } : {}),
    summary: alert.summary,
    at: alert.at,
    details: alert.details ?? {},
  };
}

/**
 * A Slack-compatible message (also taken by Mattermost and Rocket.Chat incoming webhooks): `text`
 * is the whole alert, for notifications and clients without blocks; the blocks lay it out.
 */
export function slackBody(alert: Alert): Record<string, unknown> {
  const title = `${TITLES[alert.kind]}${alert.experiment !== undefined ? ` in ${alert.experiment}` : ""}`;
  const facts = Object.entries(alert.details ?? {}).map(([k, v]) => `*${escapeSlack(k)}*: ${escapeSlack(fact(v))}`);
  return {
    text: escapeSlack(`${title}: ${alert.summary}`),
    blocks: [
      { type: "header", text: { type: "plain_text", text: title.slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: escapeSlack(alert.summary) } },
      ...(facts.length > 0 ? [{ type: "section", text: { type: "mrkdwn", text: facts.join("\n") } }] : []),
      { type: "context", elements: [{ type: "mrkdwn", text: `exp serve · ${alert.at} · ${alert.id}` }] },
    ],
  };
}

function fact(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Slack reads &, < and > as markup (links, mentions); text from experiments and details must not be. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
