import { HttpError, object, readJson, send } from "../http-io.js";
import type { Routes } from "../router.js";
import { requireScope } from "../state.js";

/**
 * The ruleset as a resource: GET with an ETag (the checksum) and If-None-Match, the stored versions,
 * and PUT with compare-and-swap (If-Match on the checksum or version, If-None-Match: * for the first).
 * A PUT of a version already stored re-activates it (a rollback).
 */
export const rulesetRoutes: Routes = {
  "GET /v1/ruleset": (s, req, res) => {
    requireScope(s, req, "evaluate");
    const current = s.rulesets.current;
    if (!current) throw new HttpError(404, "no ruleset is published yet");
    const etag = `"${current.checksum}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    send(res, 200, current, { etag });
  },
  "GET /v1/ruleset/versions": async (s, req, res) => {
    requireScope(s, req, "evaluate");
    send(res, 200, { versions: await s.store.versions() });
  },
  "GET /v1/ruleset/versions/(\\d+)": async (s, req, res, m) => {
    requireScope(s, req, "evaluate");
    const got = await s.store.get(Number(m[1]));
    if (!got) throw new HttpError(404, `version ${m[1]} is not stored`);
    send(res, 200, got.ruleset, { etag: `"${got.checksum}"` });
  },
  "PUT /v1/ruleset": async (s, req, res) => {
    requireScope(s, req, "ruleset:write");
    const ruleset = s.rulesets.verified(object(await readJson(req), "the ruleset"));
    const current = s.rulesets.current;
    const ifMatch = String(req.headers["if-match"] ?? "").replace(/^"(.*)"$/, "$1");
    const ifNone = req.headers["if-none-match"];
    if (ifNone === "*" && current) throw new HttpError(412, `a ruleset is already published (version ${current.version})`);
    if (ifMatch && current && ifMatch !== current.checksum && ifMatch !== String(current.version))
      throw new HttpError(412, `the published ruleset moved: version ${current.version} is current`);
    const expect = { expectedVersion: current?.version, expectedChecksum: current?.checksum };
    const stored = (await s.store.versions()).includes(ruleset.version);
    if (stored) await s.store.activate(ruleset.version, expect);
    else await s.store.publish(ruleset, expect);
    s.rulesets.install(ruleset);
    send(res, 200, { version: ruleset.version, checksum: ruleset.checksum });
  },
};
