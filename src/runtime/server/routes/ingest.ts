import { createHash, randomUUID } from "node:crypto";
import { HttpError, object, readJson, send, str } from "../http-io.js";
import { verifyExposure } from "../exposure-token.js";
import type { Routes } from "../router.js";
import { requireScope } from "../state.js";

/**
 * Ingestion: exposures (only with a valid exposure token, deduplicated by it) and events (singly or
 * in a batch, deduplicated by eventId). A 202 is sent only after the records are fsynced.
 */
export const ingestRoutes: Routes = {
  "POST /v1/exposures": async (s, req, res) => {
    requireScope(s, req, "ingest");
    const b = object(await readJson(req));
    const claim = verifyExposure(b.exposureToken, s.tokenSecret);
    if (!claim) throw new HttpError(400, "the exposure token is missing, forged or altered");
    const ts = b.ts === undefined ? new Date(s.now()).toISOString() : isoTime(b.ts, "ts");
    const id = createHash("sha256").update(String(b.exposureToken)).digest("hex").slice(0, 32);
    const accepted = await s.ingest.exposures.append([
      { id, unit_id: claim.u, experiment: claim.e, phase: claim.p, variant: claim.v, ts, metadata: b.metadata ?? null } as { id: string },
    ]);
    if (accepted) {
      s.metrics.exposures++;
      s.exposures.add(claim.e, claim.v, claim.u);
    }
    send(res, 202, { accepted, duplicate: accepted === 0 });
  },
  "POST /v1/events": async (s, req, res) => {
    requireScope(s, req, "ingest");
    const b = await readJson(req);
    const list = Array.isArray((b as { events?: unknown }).events) ? (b as { events: unknown[] }).events : [b];
    if (list.length === 0) throw new HttpError(400, `"events" is empty`);
    const records = list.map((e, i) => {
      const event = object(e, `event ${i}`);
      const value = event.value;
      if (value !== undefined && value !== null && typeof value !== "number")
        throw new HttpError(400, `event ${i}: "value" must be a number`);
      const props = event.properties ?? null;
      if (props !== null && (typeof props !== "object" || Array.isArray(props)))
        throw new HttpError(400, `event ${i}: "properties" must be an object`);
      return {
        id: str(event, "eventId", false) ?? randomUUID(),
        unit_id: str(event, "userId")!,
        session_id: str(event, "sessionId", false) ?? null,
        event: str(event, "eventName")!,
        ts: event.ts === undefined ? new Date(s.now()).toISOString() : isoTime(event.ts, `event ${i} ts`),
        value: value ?? null,
        properties: props,
      };
    });
    const accepted = await s.ingest.events.append(records);
    s.metrics.events += accepted;
    send(res, 202, { accepted, duplicates: records.length - accepted });
  },
};

function isoTime(v: unknown, what: string): string {
  if (typeof v !== "string" || Number.isNaN(Date.parse(v))) throw new HttpError(400, `"${what}" must be an ISO-8601 time`);
  return new Date(v).toISOString();
}
