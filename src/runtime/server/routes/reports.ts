import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { srmCheck } from "../../../stats/srm.js";
import { HttpError, send } from "../http-io.js";
import type { Routes } from "../router.js";
import { requireScope } from "../state.js";

/** Live summaries (exposures since start and SRM) and the latest stored analysis of an experiment. */
export const reportRoutes: Routes = {
  "GET /v1/experiments/(?<key>[a-z][a-z0-9_]*)/summary": async (s, req, res, m) => {
    const reader = requireScope(s, req, "reports:read");
    const key = m[1]!;
    const experiments = s.rulesets.ready().ruleset.experiments;
    // Own keys only: "constructor" is not an experiment.
    const e = Object.hasOwn(experiments, key) ? experiments[key] : undefined;
    if (!e) throw new HttpError(404, `unknown experiment "${key}"`);
    const counts = Object.fromEntries(e.variants.map((v) => [v.key, s.exposures.count(key, v.key)]));
    const srm = srmCheck(
      e.variants.map((v) => counts[v.key]!),
      e.variants.map((v) => v.weight),
      0.001,
    );
    await s.accessLog.record({ ts: new Date(s.now()).toISOString(), key: reader?.name ?? null, read: "summary", experiment: key });
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
