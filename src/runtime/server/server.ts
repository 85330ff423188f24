import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InternalError } from "../../diagnostics/errors.js";
import type { PublishTarget } from "../../plan/target/target.js";
import type { Declarations } from "../../workspace/declared-input.js";
import { Alerts, NODE_TIMERS, type AlertSinkOptions } from "./alerts/alerts.js";
import { AlertChecks, type AlertCheckOptions } from "./alerts/checks.js";
import type { ApiKey } from "./auth.js";
import { DEFAULT_LAYOUT, type CompactionReport, type ParquetLayout } from "./compaction.js";
import { ExposureCounts } from "./exposure-counts.js";
import { GuardStore } from "./guards/guard-store.js";
import { GuardWatcher, type AdvanceStep, type BreakGlass } from "./guards/guard-watcher.js";
import { liveGuards } from "./guards/live-guards.js";
import type { LiveDefinitions } from "./live/definitions.js";
import { LiveStats } from "./live/live-stats.js";
import { rebuildLiveStats } from "./live/rebuild.js";
import { loadStickyArms } from "./sticky-arms.js";
import { IngestStore } from "./ingest-store.js";
import { LiveView, type LiveViewOptions } from "./live-view/live-view.js";
import { summaryProviders } from "./live-view/live-metrics.js";
import { phaseUnitCounts } from "./live/summary.js";
import { ServerMetrics } from "./metrics.js";
import { AccessLog } from "./privacy/access-log.js";
import { ConsentScreen } from "./privacy/consent.js";
import type { ServerPrivacy } from "./privacy/server-privacy.js";
import { recordProtector } from "./privacy/protect-record.js";
import { MIN_UNIT_ID_KEY_BYTES } from "./privacy/unit-id-hash.js";
import type { EventRecord, ExposureRecord } from "./records.js";
import { createRouter } from "./router.js";
import { RulesetHolder } from "./ruleset-holder.js";
import type { RulesetPublisher } from "./ruleset-publisher.js";
import { RulesetVerifier } from "./ruleset-verifier.js";
import { evaluateRoutes } from "./routes/evaluate.js";
import { healthRoutes } from "./routes/health.js";
import { identifyRoutes } from "./routes/identify.js";
import { interleaveRoutes } from "./routes/interleave.js";
import { ingestRoutes } from "./routes/ingest.js";
import { liveViewRoutes } from "./routes/live-view.js";
import { reportRoutes } from "./routes/reports.js";
import { overrideRoutes } from "./routes/overrides.js";
import { rulesetRoutes } from "./routes/ruleset.js";
import { RuntimeOverrides } from "./runtime-overrides.js";
import { serverLog, type ServerLog } from "./server-log.js";
import { DEFAULT_DEDUP_WINDOW } from "./sink.js";
import type { ServerState } from "./state.js";

/** The shortest exposure-token secret accepted: a shorter (or empty) HMAC key lets tokens be forged. */
export const MIN_TOKEN_SECRET_BYTES = 16;

/** Guards look at their live statistics every 5 s by default. */
export const DEFAULT_GUARD_INTERVAL_MS = 5_000;

export interface ServerOptions {
  /** Where published rulesets live (the same target `exp apply` writes to). */
  store: PublishTarget;
  /** What PUT /v1/ruleset does to the store: locked, compare-and-swap, audited (src/app/server-publish.ts). */
  publisher: RulesetPublisher;
  /** Ingested exposures and events go to append-only segments here. */
  dataDir: string;
  /** API keys (SHA-256 hashes with scopes); empty with `noAuth` for local development only. */
  keys: ApiKey[];
  noAuth?: boolean;
  /** HMAC secret for exposure tokens, at least MIN_TOKEN_SECRET_BYTES long. */
  tokenSecret: Buffer;
  /** How long one ruleset verification may take on the verifier thread (ms). */
  verifyBudgetMs?: number;
  /** Ids per kind answered "duplicate" (docs/server-compaction.md); older duplicates are removed at compaction. */
  dedupWindow?: number;
  /**
   * Experiments whose units keep their first arm in a phase (the workspace's bandits): assignments
   * serve it after the weights change. Rebuilt from the data dir on start.
   */
  stickyExperiments?: readonly string[];
  /** Units whose arm is remembered at most (least recently seen forgotten first). */
  stickyCapacity?: number;
  /** The structured log (one JSON line per entry); stderr by default. */
  log?: ServerLog;
  /** Folder with analysis JSON per experiment (reports/<key>/*.json), for GET /v1/reports/{key}. */
  reportsDir?: string;
  /** How often to look for a ruleset published out of band (ms). */
  reloadIntervalMs?: number;
  /** The warehouse table mapping the Parquet parts follow (exp.yaml `warehouse`); docs/workspace.md names by default. */
  layout?: ParquetLayout;
  /** Compact closed segments into Parquet this often (ms); off when absent. */
  compactEveryMs?: number;
  /** exp.yaml's attributes and events, which requests must keep to; without them any attribute and event is taken. */
  declarations?: Declarations;
  /** The time evaluations and default timestamps use (ms since the epoch); the wall clock by default. Replays and demos pin it. */
  clock?: () => number;
  /** Keyed hashing of unit ids, consent and retention (exp.yaml `privacy:`); all off when absent. */
  privacy?: ServerPrivacy;
  /** The metrics each experiment reads, for live statistics (src/app/live-definitions.ts); without them only units are counted. */
  liveDefinitions?: LiveDefinitions;
  /** Keep live statistics from what is ingested (on by default; the benchmark turns it off to measure its cost). */
  liveStats?: boolean;
  /**
   * Webhooks and the periodic sample-ratio and ingestion checks (exp.yaml `alerts:`, docs/alerts.md).
   * Absent, nothing is checked, and what calls `alerts.notify` is logged and sent nowhere.
   */
  alerts?: AlertSinkOptions & AlertCheckOptions;
  /** The live view at /live: its statistics and guard providers, sampling and push intervals. */
  liveView?: LiveViewOptions;
  /** What a guard breach publishes (src/plan/guard-break.ts via src/app); without it a breach is recorded and alerted only. */
  breakGlass?: BreakGlass;
  /** What a guard taking a gated rollout step publishes (src/plan/guard-advance.ts via src/app); without it gated steps wait. */
  advanceStep?: AdvanceStep;
  /** How often the guards look at their live statistics (ms, real time; each look reads the server's clock). */
  guardIntervalMs?: number;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** Closes the segments being written and compacts every closed one into Parquet. */
  compact(): Promise<CompactionReport>;
  /** Group-commit counters of the two sinks. */
  ingestStats(): { exposures: { fsyncs: number; batches: number }; events: { fsyncs: number; batches: number } };
  /** Where alerts are raised (docs/alerts.md). */
  alerts: Alerts;
  /** The guards; `check()` looks at them now. */
  guards: GuardWatcher;
  close(): Promise<void>;
}

/**
 * The runtime HTTP server (docs/http-api.md): the server state, its route groups (routes/) behind one router,
 * and a timer that picks up rulesets published out of band. Bad input gets 400 with a JSON error,
 * never 500; a 5xx is a server failure, and is logged.
 */
export async function startServer(o: ServerOptions, port = 8080, host = "127.0.0.1"): Promise<RunningServer> {
  if (o.tokenSecret.length < MIN_TOKEN_SECRET_BYTES)
    throw new InternalError(`the exposure-token secret is ${o.tokenSecret.length} bytes; it needs at least ${MIN_TOKEN_SECRET_BYTES}`);
  const privacy = o.privacy ?? {};
  if (privacy.unitIdKey && privacy.unitIdKey.length < MIN_UNIT_ID_KEY_BYTES)
    throw new InternalError(`the unit-id key is ${privacy.unitIdKey.length} bytes; it needs at least ${MIN_UNIT_ID_KEY_BYTES}`);
  const metrics = new ServerMetrics();
  const log = o.log ?? serverLog();
  const protect = recordProtector(privacy.unitIdKey);
  const ingest = await IngestStore.open(o.dataDir, o.layout ?? DEFAULT_LAYOUT, metrics, {
    compactEveryMs: o.compactEveryMs,
    dedupWindow: o.dedupWindow ?? DEFAULT_DEDUP_WINDOW,
    log,
    protect,
    compaction: { retentionMs: privacy.retentionMs, now: o.clock },
  });
  const live = new LiveStats(o.liveDefinitions, (id) => protect({ id: "", unit_id: id }).unit_id);
  if (o.liveStats !== false) {
    // A data dir that cannot be read back leaves the summary short, which is logged; serving goes on.
    await rebuildLiveStats(live, o.dataDir, o.layout ?? DEFAULT_LAYOUT).catch((err: unknown) =>
      log.error("live statistics could not be rebuilt from the data dir; the summary counts only what arrives from now on", { error: err }),
    );
    followIngest(ingest, live, log);
  }
  const verifier = new RulesetVerifier(o.verifyBudgetMs);
  const now = o.clock ?? Date.now;
  const alerts = new Alerts(o.alerts ?? { webhooks: [] }, now, log, metrics);
  const rulesets = new RulesetHolder(verifier, metrics, log);
  const guards = new GuardWatcher(
    { rulesets, store: o.store, live, alerts, log, now },
    await GuardStore.open(o.dataDir),
    o.breakGlass,
    o.advanceStep,
  );
  const state: ServerState = {
    rulesets,
    store: o.store,
    publisher: o.publisher,
    log,
    ingest,
    exposures: new ExposureCounts(),
    live,
    accessLog: new AccessLog(o.dataDir),
    consent: new ConsentScreen(privacy.optOut ?? new Set(), metrics),
    sticky: await loadStickyArms(o.dataDir, o.layout ?? DEFAULT_LAYOUT, new Set(o.stickyExperiments ?? []), o.stickyCapacity),
    overrides: await RuntimeOverrides.open(o.dataDir),
    metrics,
    guards,
    alerts,
    now,
    tokenSecret: o.tokenSecret,
    reportsDir: o.reportsDir,
    keys: o.keys,
    declarations: o.declarations,
    noAuth: o.noAuth ?? false,
  };
  state.rulesets.useOverrides(state.overrides, state.now);
  await state.rulesets.reload(o.store);
  const timer = setInterval(() => state.rulesets.reload(o.store), o.reloadIntervalMs ?? 1000);
  timer.unref();
  const guardTimer = setInterval(
    () => guards.check().catch((err: unknown) => log.error("the guards could not be checked", { error: err })),
    o.guardIntervalMs ?? DEFAULT_GUARD_INTERVAL_MS,
  );
  guardTimer.unref();
  const checks = o.alerts
    ? new AlertChecks(
        alerts,
        {
          ruleset: () => state.rulesets.current,
          exposures: state.exposures,
          unitsExposed:
            o.liveStats !== false
              ? (key, e) => ({ units: phaseUnitCounts(live, key, e), phase: e.phase })
              : (key, e) => ({ units: e.variants.map((v) => state.exposures.count(key, v.key)) }),
          events: () => metrics.events,
          sticky: new Set(o.stickyExperiments),
        },
        o.alerts,
        now,
        o.alerts.timers ?? NODE_TIMERS,
        log,
      )
    : undefined;
  checks?.start();
  // With metric definitions the view shows the server's own live statistics, unless given other providers.
  const liveView = new LiveView(state, {
    ...o.liveView,
    providers: {
      ...(o.liveStats !== false && o.liveDefinitions ? summaryProviders(state) : {}),
      ...liveGuards(guards),
      ...o.liveView?.providers,
    },
  });

  const server = createServer(
    createRouter(state, [
      healthRoutes,
      rulesetRoutes,
      evaluateRoutes,
      interleaveRoutes,
      ingestRoutes,
      reportRoutes,
      identifyRoutes,
      overrideRoutes,
      liveViewRoutes(liveView),
    ]),
  );
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    server,
    compact: () => ingest.compact(),
    ingestStats: () => ({ exposures: { ...ingest.exposures.stats }, events: { ...ingest.events.stats } }),
    alerts,
    guards,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(timer);
        clearInterval(guardTimer);
        checks?.stop();
        alerts.close();
        liveView.close();
        server.close(() => {
          Promise.all([ingest.close(), verifier.close()]).then(() => resolve(), reject);
        });
        server.closeAllConnections();
      }),
  };
}

/** Live statistics follow what the sinks store; a failure there is logged and never fails ingestion. */
function followIngest(ingest: IngestStore, live: LiveStats, log: ServerLog): void {
  const guard =
    <R>(update: (records: readonly R[]) => void) =>
    (records: readonly { id: string }[]) => {
      try {
        update(records as readonly R[]);
      } catch (err) {
        log.error("live statistics could not take a batch; the summary may lag until a restart", { error: err });
      }
    };
  ingest.exposures.listen(guard<ExposureRecord>((r) => live.exposures(r)));
  ingest.events.listen(guard<EventRecord>((r) => live.events(r)));
}
