import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createEvaluator, type Evaluator } from "../evaluator.js";
import type { Ruleset } from "../../ruleset/types.js";
import type { PublishTarget } from "../../plan/target/target.js";
import { authorise, type ApiKey, type Scope } from "./auth.js";
import { signExposure, verifyExposure } from "./exposure-token.js";
import { context, HttpError, object, readJson, send, str } from "./http-io.js";
import { ServerMetrics } from "./metrics.js";
import { DEFAULT_LAYOUT, type CompactionReport, type ParquetLayout } from "./compaction.js";
import { IngestStore } from "./ingest-store.js";
import { srmCheck } from "../../stats/srm.js";

export interface ServerOptions {
  /** Where published rulesets live (the same target `exp apply` writes to). */
  store: PublishTarget;
  /** Ingested exposures and events go to append-only segments here. */
  dataDir: string;
  /** API keys (SHA-256 hashes with scopes); empty with `noAuth` for local development only. */
  keys: ApiKey[];
  noAuth?: boolean;
  /** HMAC secret for exposure tokens. */
  tokenSecret: Buffer;
  verify(json: unknown): { ok: boolean; ruleset?: Ruleset; diagnostics: { message: string }[] };
  /** Folder with analysis JSON per experiment (reports/<key>/*.json), for GET /v1/reports/{key}. */
  reportsDir?: string;
  /** How often to look for a ruleset published out of band (ms). */
  reloadIntervalMs?: number;
  /** The warehouse table mapping the Parquet parts follow (exp.yaml `warehouse`); SPEC §1 names by default. */
  layout?: ParquetLayout;
  /** Compact closed segments into Parquet this often (ms); off when absent. */
  compactEveryMs?: number;
  /** The time evaluations and default timestamps use (ms since the epoch); the wall clock by default. Replays and demos pin it. */
  clock?: () => number;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** Closes the segments being written and compacts every closed one into Parquet. */
  compact(): Promise<CompactionReport>;
  /** Group-commit counters of the two sinks. */
  ingestStats(): { exposures: { fsyncs: number; batches: number }; events: { fsyncs: number; batches: number } };
  close(): Promise<void>;
}

/**
 * The runtime HTTP server (SPEC §9). Evaluation swaps to a new ruleset by replacing one reference,
 * so a hot reload never fails a request; bad input gets 400 with a JSON error, never 500.
 */
export async function startServer(o: ServerOptions, port = 8080, host = "127.0.0.1"): Promise<RunningServer> {
  const metrics = new ServerMetrics();
  let evaluator: Evaluator | undefined;
  let current: Ruleset | undefined;
  const ingest = await IngestStore.open(o.dataDir, o.layout ?? DEFAULT_LAYOUT, metrics, o.compactEveryMs);
  const { exposures, events } = ingest;
  const now = o.clock ?? Date.now;
  const live = new Map<string, Map<string, Set<string>>>();

  const verified = (candidate: unknown): Ruleset => {
    const v = o.verify(candidate);
    if (!v.ok || !v.ruleset) throw new HttpError(400, `the ruleset does not verify: ${v.diagnostics.map((d) => d.message).join("; ")}`);
    return v.ruleset;
  };
  const load = (ruleset: Ruleset): void => {
    evaluator = createEvaluator(ruleset);
    current = ruleset;
    metrics.rulesetVersion = ruleset.version;
    metrics.reloads++;
  };
  const reload = async (): Promise<void> => {
    try {
      const cur = await o.store.current();
      if (cur && cur.checksum !== current?.checksum) load(verified(cur.ruleset));
    } catch {
      // Keep serving the last good ruleset; readiness still reflects that one is loaded.
    }
  };
  await reload();
  const timer = setInterval(reload, o.reloadIntervalMs ?? 1000);
  timer.unref();

  const need = (req: IncomingMessage, scope: Scope): void => {
    if (o.noAuth) return;
    const key = authorise(req.headers.authorization, o.keys);
    if (!key) throw new HttpError(401, "missing or unknown bearer token");
    if (!key.scopes.includes(scope)) throw new HttpError(403, `the key "${key.name}" lacks the "${scope}" scope`);
  };
  const ready = (): Evaluator => {
    if (!evaluator) throw new HttpError(503, "no ruleset is published yet; run exp apply");
    return evaluator;
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, m: RegExpMatchArray) => Promise<void> | void> = {
    "GET /healthz": (_q, res) => send(res, 200, { ok: true }),
    "GET /readyz": (_q, res) => send(res, evaluator ? 200 : 503, { ready: Boolean(evaluator), version: current?.version ?? null }),
    "GET /metrics": (_q, res) => {
      metrics.fsyncs = ingest.fsyncs;
      const text = metrics.render();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(text);
    },
    "GET /v1/ruleset": (req, res) => {
      need(req, "evaluate");
      if (!current) throw new HttpError(404, "no ruleset is published yet");
      const etag = `"${current.checksum}"`;
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      send(res, 200, current, { etag });
    },
    "GET /v1/ruleset/versions": async (req, res) => {
      need(req, "evaluate");
      send(res, 200, { versions: await o.store.versions() });
    },
    "GET /v1/ruleset/versions/(\\d+)": async (req, res, m) => {
      need(req, "evaluate");
      const got = await o.store.get(Number(m[1]));
      if (!got) throw new HttpError(404, `version ${m[1]} is not stored`);
      send(res, 200, got.ruleset, { etag: `"${got.checksum}"` });
    },
    "PUT /v1/ruleset": async (req, res) => {
      need(req, "ruleset:write");
      const doc = verified(object(await readJson(req), "the ruleset"));
      const ifMatch = String(req.headers["if-match"] ?? "").replace(/^"(.*)"$/, "$1");
      const ifNone = req.headers["if-none-match"];
      if (ifNone === "*" && current) throw new HttpError(412, `a ruleset is already published (version ${current.version})`);
      if (ifMatch && current && ifMatch !== current.checksum && ifMatch !== String(current.version))
        throw new HttpError(412, `the published ruleset moved: version ${current.version} is current`);
      const expect = { expectedVersion: current?.version, expectedChecksum: current?.checksum };
      const stored = (await o.store.versions()).includes(doc.version);
      if (stored) await o.store.activate(doc.version, expect);
      else await o.store.publish(doc, expect);
      load(doc);
      send(res, 200, { version: doc.version, checksum: doc.checksum });
    },
    "POST /v1/assignments": async (req, res) => {
      need(req, "evaluate");
      const b = object(await readJson(req));
      const key = str(b, "experimentKey")!;
      const user = str(b, "userId")!;
      const ev = ready();
      if (!ev.hasExperiment(key)) throw new HttpError(404, `unknown experiment "${key}"`);
      const r = ev.assign(key, user, context(b), now());
      metrics.evaluations++;
      const exposureToken =
        r.inExperiment && r.variant !== null
          ? signExposure({ e: key, p: ev.ruleset.experiments[key]!.phase, v: r.variant, u: user, t: now() }, o.tokenSecret)
          : null;
      send(res, 200, {
        experimentKey: key,
        variant: r.variant,
        config: r.config ?? null,
        inExperiment: r.inExperiment,
        reasons: r.reasons,
        hashKey: r.hashKey,
        bucket: r.bucket,
        exposureToken,
      });
    },
    "POST /v1/flags/evaluate": async (req, res) => {
      need(req, "evaluate");
      const b = object(await readJson(req));
      const key = str(b, "flagKey")!;
      const user = str(b, "userId")!;
      const ev = ready();
      if (!ev.hasFlag(key)) throw new HttpError(404, `unknown flag "${key}"`);
      const r = ev.evaluate(key, user, context(b), now());
      metrics.evaluations++;
      send(res, 200, {
        flagKey: key,
        value: r.value,
        variant: r.variant,
        reason: r.reason,
        rule: r.rule ?? null,
        killSwitch: ev.ruleset.flags[key]!.enabled === false,
      });
    },
    "POST /v1/evaluate": async (req, res) => {
      need(req, "evaluate");
      const b = object(await readJson(req));
      const user = str(b, "userId")!;
      const r = ready().evaluateAll(user, context(b), now());
      metrics.evaluations++;
      send(res, 200, r);
    },
    "POST /v1/exposures": async (req, res) => {
      need(req, "ingest");
      const b = object(await readJson(req));
      const claim = verifyExposure(b.exposureToken, o.tokenSecret);
      if (!claim) throw new HttpError(400, "the exposure token is missing, forged or altered");
      const ts = b.ts === undefined ? new Date(now()).toISOString() : isoTime(b.ts, "ts");
      const id = createHash("sha256").update(String(b.exposureToken)).digest("hex").slice(0, 32);
      const accepted = await exposures.append([
        { id, unit_id: claim.u, experiment: claim.e, phase: claim.p, variant: claim.v, ts, metadata: b.metadata ?? null } as { id: string },
      ]);
      if (accepted) {
        metrics.exposures++;
        const byVariant = live.get(claim.e) ?? new Map<string, Set<string>>();
        live.set(claim.e, byVariant);
        const units = byVariant.get(claim.v) ?? new Set<string>();
        byVariant.set(claim.v, units);
        units.add(claim.u);
      }
      send(res, 202, { accepted, duplicate: accepted === 0 });
    },
    "POST /v1/events": async (req, res) => {
      need(req, "ingest");
      const b = await readJson(req);
      const list = Array.isArray((b as { events?: unknown }).events) ? (b as { events: unknown[] }).events : [b];
      if (list.length === 0) throw new HttpError(400, `"events" is empty`);
      const records = list.map((e, i) => {
        const o2 = object(e, `event ${i}`);
        const value = o2.value;
        if (value !== undefined && value !== null && typeof value !== "number")
          throw new HttpError(400, `event ${i}: "value" must be a number`);
        const props = o2.properties ?? null;
        if (props !== null && (typeof props !== "object" || Array.isArray(props)))
          throw new HttpError(400, `event ${i}: "properties" must be an object`);
        return {
          id: str(o2, "eventId", false) ?? randomUUID(),
          unit_id: str(o2, "userId")!,
          session_id: str(o2, "sessionId", false) ?? null,
          event: str(o2, "eventName")!,
          ts: o2.ts === undefined ? new Date(now()).toISOString() : isoTime(o2.ts, `event ${i} ts`),
          value: value ?? null,
          properties: props,
        };
      });
      const accepted = await events.append(records);
      metrics.events += accepted;
      send(res, 202, { accepted, duplicates: records.length - accepted });
    },
    "GET /v1/experiments/([a-z][a-z0-9_]*)/summary": (req, res, m) => {
      need(req, "reports:read");
      const key = m[1]!;
      const e = ready().ruleset.experiments[key];
      if (!e) throw new HttpError(404, `unknown experiment "${key}"`);
      const counts = Object.fromEntries(e.variants.map((v) => [v.key, live.get(key)?.get(v.key)?.size ?? 0]));
      const srm = srmCheck(
        e.variants.map((v) => counts[v.key]!),
        e.variants.map((v) => v.weight),
        0.001,
      );
      send(res, 200, {
        experiment: key,
        status: e.status,
        phase: e.phase,
        traffic: e.traffic / 10000,
        layer: e.layer ?? null,
        allocation: Object.fromEntries(e.variants.map((v) => [v.key, v.weight / 10000])),
        exposures: counts,
        srm: { chi2: srm.chi2, p_value: srm.pValue, ok: srm.ok },
      });
    },
    "GET /v1/reports/([a-z][a-z0-9_]*)": (req, res, m) => {
      need(req, "reports:read");
      const dir = o.reportsDir ? join(o.reportsDir, m[1]!) : undefined;
      let files: string[] = [];
      try {
        files = dir
          ? readdirSync(dir)
              .filter((f) => f.endsWith(".json"))
              .sort()
          : [];
      } catch {
        files = [];
      }
      if (!dir || files.length === 0) throw new HttpError(404, `no analysis is stored for "${m[1]}"`);
      send(res, 200, JSON.parse(readFileSync(join(dir, files[files.length - 1]!), "utf8")));
    },
  };
  const table = Object.entries(routes).map(([k, h]) => {
    const [method, path] = k.split(" ") as [string, string];
    return { method, re: new RegExp(`^${path}$`), route: path, h };
  });

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    // One pass over the routes: the first whose path and method match, else the methods the path allows.
    let entry: (typeof table)[number] | undefined;
    let params: RegExpMatchArray | null = null;
    let route = "unmatched";
    const allowed: string[] = [];
    for (const t of table) {
      const m = path.match(t.re);
      if (!m) continue;
      if (route === "unmatched") route = t.route;
      if (t.method === req.method) {
        entry = t;
        params = m;
        break;
      }
      allowed.push(t.method);
    }
    const done = (status: number) => metrics.count(route, status);
    if (!entry) {
      if (allowed.length === 0) send(res, 404, { error: `no route for ${req.method} ${path}` });
      else send(res, 405, { error: `use ${allowed.join(" or ")} for ${path}` }, { allow: allowed.join(", ") });
      return done(allowed.length === 0 ? 404 : 405);
    }
    const handler = entry.h;
    Promise.resolve()
      .then(() => handler(req, res, params!))
      .then(() => done(res.statusCode))
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        if (!res.headersSent) send(res, status, { error: err instanceof HttpError ? err.message : "internal error" });
        else res.end();
        done(status);
      });
  });
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
    ingestStats: () => ({ exposures: { ...exposures.stats }, events: { ...events.stats } }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(timer);
        server.close(() => {
          ingest.close().then(resolve, reject);
        });
        server.closeAllConnections();
      }),
  };
}

function isoTime(v: unknown, what: string): string {
  if (typeof v !== "string" || Number.isNaN(Date.parse(v))) throw new HttpError(400, `"${what}" must be an ISO-8601 time`);
  return new Date(v).toISOString();
}
