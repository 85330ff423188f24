import { send } from "../http-io.js";
import type { Routes } from "../router.js";

/** Liveness, readiness (a ruleset is loaded) and the Prometheus metrics; none needs a key. */
export const healthRoutes: Routes = {
  "GET /healthz": (_s, _q, res) => send(res, 200, { ok: true }),
  "GET /readyz": (s, _q, res) => {
    const current = s.rulesets.current;
    send(res, current ? 200 : 503, { ready: Boolean(current), version: current?.version ?? null });
  },
  "GET /metrics": (s, _q, res) => {
    s.metrics.fsyncs = s.ingest.fsyncs;
    s.metrics.dedupIds = s.ingest.dedupSize;
    const guards = s.guards
      .statuses()
      .map((g) => ({ key: g.key, target: "experiment" in g.change ? "experiment" : "flag", state: g.state }) as const);
    const text = s.metrics.render(s.exposures, guards);
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(text);
  },
};
