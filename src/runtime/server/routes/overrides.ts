import { didYouMean } from "../../../diagnostics/suggest.js";
import type { Ruleset } from "../../../ruleset/types.js";
import { HttpError, send, str } from "../http-io.js";
import { jsonRoute } from "../json-route.js";
import type { Routes } from "../router.js";
import type { RuntimeOverride } from "../runtime-overrides.js";
import { requireScope } from "../state.js";

/** The longest an override may live: QA overrides are for testing, not a way to roll a variant out. */
export const MAX_OVERRIDE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * QA overrides at runtime (docs/http-api.md): force a variant of one experiment or flag for one
 * unit until a TTL passes at the server's clock. Every change is audited (runtime-overrides.ts) and
 * logged by key name; the overridden unit is served the variant but not enrolled, so it logs no
 * exposure and never reaches an analysis.
 */
export const overrideRoutes: Routes = {
  "POST /v1/overrides": jsonRoute("overrides", async (s, res, b, key) => {
    const experimentKey = str(b.experimentKey, "experimentKey", false);
    const flagKey = str(b.flagKey, "flagKey", false);
    if ((experimentKey === undefined) === (flagKey === undefined))
      throw new HttpError(400, 'send exactly one of "experimentKey" and "flagKey"');
    const unitId = str(b.unitId, "unitId")!;
    if (unitId === "") throw new HttpError(400, '"unitId" is empty; send the unit id to override');
    const variant = str(b.variant, "variant")!;
    const ttl = b["ttlSeconds"];
    if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_OVERRIDE_TTL_SECONDS)
      throw new HttpError(400, `"ttlSeconds" must be a whole number of seconds from 1 to ${MAX_OVERRIDE_TTL_SECONDS}`);
    const target = experimentKey !== undefined ? { experimentKey } : { flagKey: flagKey! };
    checkTarget(s.rulesets.ready().ruleset, target, variant);
    const now = s.now();
    const created = await s.overrides.create(
      {
        ...target,
        unitId,
        variant,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + ttl * 1000).toISOString(),
        createdBy: key?.name ?? null,
      },
      now,
    );
    s.log.info("override created", auditFields(created, key?.name));
    send(res, 201, created);
  }),
  "GET /v1/overrides": (s, req, res) => {
    requireScope(s, req, "overrides");
    send(res, 200, { overrides: s.overrides.active(s.now()) });
  },
  "DELETE /v1/overrides/(?<id>[A-Za-z0-9_]+)": async (s, req, res, m) => {
    const key = requireScope(s, req, "overrides");
    const id = m[1]!;
    const removed = await s.overrides.delete(id, key?.name ?? null, s.now());
    if (!removed) throw new HttpError(404, `no override "${id}" is in force; list them with GET /v1/overrides`);
    s.log.info("override deleted", auditFields(removed, key?.name));
    send(res, 200, removed);
  },
};

/** 400 unless the served ruleset has the experiment or flag and its variant, with a did-you-mean. */
function checkTarget(ruleset: Ruleset, target: { experimentKey: string } | { flagKey: string }, variant: string): void {
  const [what, name, owner] =
    "experimentKey" in target
      ? (["experiment", target.experimentKey, ruleset.experiments] as const)
      : (["flag", target.flagKey, ruleset.flags] as const);
  // Own keys only: "constructor" is neither an experiment nor a flag.
  if (!Object.hasOwn(owner, name))
    throw new HttpError(400, `unknown ${what} "${name}"; override one the served ruleset has`, didYouMean(name, Object.keys(owner)));
  const variants =
    "experimentKey" in target ? ruleset.experiments[name]!.variants.map((v) => v.key) : Object.keys(ruleset.flags[name]!.variants);
  if (!variants.includes(variant))
    throw new HttpError(
      400,
      `unknown variant "${variant}" of ${what} "${name}"; send one of ${variants.map((v) => `"${v}"`).join(", ")}`,
      didYouMean(variant, variants),
    );
}

/** What the server log says of a change: the override and the key's name, never the key. */
function auditFields(o: RuntimeOverride, keyName: string | undefined): Record<string, unknown> {
  return {
    overrideId: o.id,
    ...(o.experimentKey ? { experiment: o.experimentKey } : { flag: o.flagKey }),
    variant: o.variant,
    expiresAt: o.expiresAt,
    ...(keyName ? { keyId: keyName } : {}),
  };
}
