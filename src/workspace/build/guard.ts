import { DEFAULT_GUARD_MIN_UNITS, type Guard } from "../model.js";

type Raw = Record<string, any>;

/** A `guard:` as the schema let it through, with its defaults filled in. */
export function buildGuard(raw: Raw | undefined): Guard | undefined {
  if (raw === undefined) return undefined;
  return { metrics: [...raw.metrics], action: raw.action ?? "rollback", min_units: raw.min_units ?? DEFAULT_GUARD_MIN_UNITS };
}
