import type { IncomingMessage } from "node:http";
import type { PublishTarget } from "../../plan/target/target.js";
import type { Declarations } from "../../workspace/declared-input.js";
import type { Alerts } from "./alerts/alerts.js";
import { authorise, type ApiKey, type Scope } from "./auth.js";
import type { ExposureCounts } from "./exposure-counts.js";
import type { GuardWatcher } from "./guards/guard-watcher.js";
import { HttpError } from "./http-io.js";
import type { IngestStore } from "./ingest-store.js";
import type { LiveStats } from "./live/live-stats.js";
import type { ServerMetrics } from "./metrics.js";
import type { AccessLog } from "./privacy/access-log.js";
import type { ConsentScreen } from "./privacy/consent.js";
import type { RulesetHolder } from "./ruleset-holder.js";
import type { RulesetPublisher } from "./ruleset-publisher.js";
import type { RuntimeOverrides } from "./runtime-overrides.js";
import type { ServerLog } from "./server-log.js";
import type { StickyArms } from "./sticky-arms.js";

/** Everything a route handler may touch; startServer builds one per server. */
export interface ServerState {
  /** The ruleset being served and its evaluator. */
  readonly rulesets: RulesetHolder;
  /** Where published rulesets live (the same target `exp apply` writes to). */
  readonly store: PublishTarget;
  /** PUT /v1/ruleset: publishes into the store under its lock, one at a time, with an audit record. */
  readonly publisher: RulesetPublisher;
  readonly log: ServerLog;
  /** The exposure and event sinks. */
  readonly ingest: IngestStore;
  readonly exposures: ExposureCounts;
  /** Live sufficient statistics per experiment × phase × variant, from what the sinks stored (live/). */
  readonly live: LiveStats;
  /** Every read of analysis results (summaries, stored reports). */
  readonly accessLog: AccessLog;
  /** Drops what has no consent before it is stored. */
  readonly consent: ConsentScreen;
  /** The first arm of each unit of a sticky (bandit) experiment, which assignments keep serving. */
  readonly sticky: StickyArms;
  /** QA overrides made at runtime (POST /v1/overrides), kept in the data dir. */
  readonly overrides: RuntimeOverrides;
  readonly metrics: ServerMetrics;
  /** The guards of the served ruleset and their states (guards/). */
  readonly guards: GuardWatcher;
  /** Raises alerts (guard breaches, sample ratio, ingestion) to exp.yaml's webhooks; returns at once (docs/alerts.md). */
  readonly alerts: Alerts;
  /** The time evaluations and default timestamps use (ms since the epoch). */
  readonly now: () => number;
  /** HMAC secret for exposure tokens. */
  readonly tokenSecret: Buffer;
  /** Folder with analysis JSON per experiment (reports/<key>/*.json). */
  readonly reportsDir: string | undefined;
  readonly keys: readonly ApiKey[];
  /** exp.yaml's attributes and events: evaluation contexts and events are checked against them when given. */
  readonly declarations: Declarations | undefined;
  /** Local development only: every request is allowed. */
  readonly noAuth: boolean;
}

/**
 * The key each request was authorised with, for its log line (by name: the key itself is never
 * logged), kept on the request: a WeakMap entry per request was a visible share of a small
 * request's time.
 */
const REQUEST_KEY = Symbol("exp.requestKey");
type KeyedRequest = IncomingMessage & { [REQUEST_KEY]?: ApiKey };

/** The key `req` presented, once `requireScope` has matched it (also when it then lacked the scope). */
export function requestKey(req: IncomingMessage): ApiKey | undefined {
  return (req as KeyedRequest)[REQUEST_KEY];
}

/** 401 without a known bearer key, 403 when the key lacks `scope`; the key, or undefined without auth. */
export function requireScope(state: ServerState, req: IncomingMessage, scope: Scope): ApiKey | undefined {
  if (state.noAuth) return undefined;
  const key = authorise(req.headers.authorization, state.keys);
  if (!key) throw new HttpError(401, "missing or unknown bearer token");
  (req as KeyedRequest)[REQUEST_KEY] = key;
  if (!key.scopes.includes(scope)) throw new HttpError(403, `the key "${key.name}" lacks the "${scope}" scope`);
  return key;
}
