import { createHash, randomUUID } from "node:crypto";
import { HttpError, object, send } from "../http-io.js";
import { jsonRoute } from "../json-route.js";
import { withoutConsent } from "../privacy/consent.js";
import { textProblem, type IdentityRecord } from "../records.js";
import type { Routes } from "../router.js";
import { check, recordsOf, EXPOSURE_SKEW_MS, time } from "./ingest.js";

/**
 * `POST /v1/identify` (docs/http-api.md#identify): an anonymous visitor logged in. Each call is one
 * row of the identity map (`identities(anonymous_id, unit_id, ts)`), stored like events: checked at
 * the door, dropped without consent (or when either id is on the opt-out list), hashed with
 * `privacy.hash_unit_ids`, deduplicated by its id, and acknowledged (202) only once fsynced.
 * One call, or `{"identities": [...]}`; a bad call refuses the whole request (400), naming it.
 */
export const identifyRoutes: Routes = {
  "POST /v1/identify": jsonRoute(
    "ingest",
    async (s, res, b) => {
      const { batch, list } = recordsOf(b, "identities", "identify call");
      const now = s.now();
      const records = list.map((o, i) => identityRecord(o, batch ? `identify call ${i}` : "the identify call", now));
      // An opted-out anonymous id withholds consent as an opted-out user id does (ConsentScreen checks that one).
      const consents = list.map((o, i) => (s.consent.optedOut(records[i]!.anonymous_id) ? false : (o as Record<string, unknown>).consent));
      const kept = s.consent.keep("identities", records, consents, (i) => (batch ? `identify call ${i}` : "the identify call"));
      const accepted = kept.length > 0 ? await s.ingest.identities.append(kept) : 0;
      send(res, 202, { accepted, duplicates: kept.length - accepted, ...withoutConsent(records.length - kept.length) });
    },
    'the body (one identify call, or {"identities": [...]})',
  ),
};

/**
 * One identify call as a stored record. Its id is `identifyId` when given (an SDK sends one per
 * call, so that a retry is stored once), else a digest of both ids and `ts` when the caller gives
 * the time, else a fresh one: a call without either cannot be told from a later identical login.
 */
function identityRecord(body: unknown, what: string, now: number): IdentityRecord {
  const o = object(body, what);
  check(what, "identifyId", o.identifyId === "" ? "must not be empty; leave it out to have one made" : textProblem(o.identifyId, false));
  check(what, "anonymousId", textProblem(o.anonymousId, true));
  check(what, "userId", textProblem(o.userId, true));
  const anonymous = o.anonymousId as string;
  const user = o.userId as string;
  if (anonymous === user)
    throw new HttpError(400, `${what}: "userId" equals "anonymousId"; identify maps an anonymous id to another, logged-in id`);
  let at = now;
  if (o.ts !== undefined && o.ts !== null) {
    at = time(o.ts, `${what}: "ts"`);
    if (at > now + EXPOSURE_SKEW_MS)
      throw new HttpError(400, `${what}: "ts" is later than the server's clock (${new Date(now).toISOString()})`);
    // A little ahead is client clock skew: a mapping never starts in the future.
    at = Math.min(at, now);
  }
  const id =
    (o.identifyId as string | undefined) ??
    (o.ts !== undefined && o.ts !== null
      ? createHash("sha256")
          .update(JSON.stringify([anonymous, user, o.ts]))
          .digest("hex")
          .slice(0, 32)
      : randomUUID());
  return { id, anonymous_id: anonymous, unit_id: user, ts: new Date(at).toISOString() };
}
