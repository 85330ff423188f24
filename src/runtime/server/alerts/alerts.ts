import { randomUUID } from "node:crypto";
import type { Timers } from "../../sdk/send-queue.js";
import type { ServerLog } from "../server-log.js";
import { conditionKey, type Alert, type AlertKind, type AlertNotice } from "./alert.js";
import { AlertDedup } from "./dedup.js";
import { DEFAULT_DELIVERY, WebhookDelivery, type DeliveryOutcome, type DeliveryTuning, type WebhookTarget } from "./webhook.js";

/** A persisting condition alerts again after this long (1 h). */
export const DEFAULT_REPEAT_AFTER_MS = 3_600_000;

export interface AlertSinkOptions {
  webhooks: readonly WebhookTarget[];
  repeatAfterMs?: number;
  delivery?: Partial<DeliveryTuning>;
  /** For tests: the transport, the timers (behind retries, timeouts and, in the server, the periodic checks), and the jitter. */
  fetch?: typeof fetch;
  timers?: Timers;
  random?: () => number;
}

/** The counters behind the /metrics alert series (ServerMetrics). */
export interface AlertCounters {
  alertRaised(kind: AlertKind): void;
  alertDelivery(webhook: string, outcome: DeliveryOutcome): void;
}

/** Real timers that never keep the process alive on their own. */
export const NODE_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The server's alerts (docs/alerts.md). `notify` is the one way in, for the server's own checks
 * (sample ratio, ingestion rates) and for whatever else watches what the server serves (guards):
 * it deduplicates, logs the alert, queues it for every webhook that takes its kind, and returns
 * at once; delivery happens on timers and never holds up a request.
 */
export class Alerts {
  private readonly dedup: AlertDedup;
  private readonly deliveries: WebhookDelivery[];

  constructor(
    o: AlertSinkOptions,
    private readonly now: () => number,
    private readonly log: ServerLog,
    private readonly counters: AlertCounters,
  ) {
    this.dedup = new AlertDedup(o.repeatAfterMs ?? DEFAULT_REPEAT_AFTER_MS);
    const context = {
      tuning: { ...DEFAULT_DELIVERY, ...o.delivery },
      timers: o.timers ?? NODE_TIMERS,
      now,
      random: o.random ?? Math.random,
      fetch: o.fetch ?? fetch,
      log,
      count: (webhook: string, outcome: DeliveryOutcome) => counters.alertDelivery(webhook, outcome),
    };
    this.deliveries = o.webhooks.map((target) => new WebhookDelivery(target, context));
  }

  /**
   * Raises a condition: the alert sent, or undefined when the same condition (kind, experiment,
   * subject) already alerted within the repeat interval and has not been resolved since.
   */
  notify(notice: AlertNotice): Alert | undefined {
    const at = this.now();
    if (!this.dedup.admit(conditionKey(notice), at)) return undefined;
    const alert: Alert = { ...notice, id: randomUUID(), at: new Date(at).toISOString() };
    this.counters.alertRaised(alert.kind);
    this.log.warn("alert", {
      alert: alert.id,
      kind: alert.kind,
      experiment: alert.experiment,
      subject: alert.subject,
      summary: alert.summary,
    });
    for (const d of this.deliveries) if (d.target.kinds.includes(alert.kind)) d.enqueue(alert);
    return alert;
  }

  /** The condition no longer holds: raised again, it alerts at once. */
  resolve(condition: Pick<AlertNotice, "kind" | "experiment" | "subject">): void {
    this.dedup.resolve(conditionKey(condition));
  }

  /** Alerts waiting or being sent, per webhook. */
  queued(): Record<string, number> {
    return Object.fromEntries(this.deliveries.map((d) => [d.target.name, d.queued]));
  }

  /** Abandons every delivery still pending. */
  close(): void {
    for (const d of this.deliveries) d.close();
  }
}
