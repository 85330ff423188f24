import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HttpError, send } from "../http-io.js";
import { experimentSummary } from "../live/summary.js";
import type { Routes } from "../router.js";
import { requireScope } from "../state.js";

/** Live summaries (live/summary.ts: units, SRM, metric lifts with confidence sequences, guardrails) and the latest stored analysis of an experiment. */
export const reportRoutes: Routes = {
  "GET /v1/experiments/(?<key>[a-z][a-z0-9_]*)/summary": async (s, req, res, m) => {
    const reader = requireScope(s, req, "reports:read");
    const key = m[1]!;
    const summary = experimentSummary(s, key);
    if (!summary) throw new HttpError(404, `unknown experiment "${key}"`);
    await s.accessLog.record({ ts: new Date(s.now()).toISOString(), key: reader?.name ?? null, read: "summary", experiment: key });
    const guard = s.guards.status(key);
    send(res, 200, guard ? { ...summary, guard } : summary);
  },
  "GET /v1/guards": (s, req, res) => {
    requireScope(s, req, "reports:read");
    send(res, 200, { guards: s.guards.statuses() });
  },
  "GET /v1/reports/(?<key>[a-z][a-z0-9_]*)": async (s, req, res, m) => {
    const reader = requireScope(s, req, "reports:read");
    const dir = s.reportsDir ? join(s.reportsDir, m[1]!) : undefined;
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
    const report: unknown = JSON.parse(readFileSync(join(dir, files[files.length - 1]!), "utf8"));
    await s.accessLog.record({ ts: new Date(s.now()).toISOString(), key: reader?.name ?? null, read: "report", experiment: m[1]! });
    send(res, 200, report);
  },
};
