import { recordIdHash, unitIdHash } from "./unit-id-hash.js";

/** A stored record as far as privacy goes: its id and the unit it is about. */
export interface UnitRecord {
  id: string;
  unit_id?: string;
  /** An identity record's second unit: the anonymous id that logged in as `unit_id`. */
  anonymous_id?: string;
}

/** Rewrites a record just before it is written; the identity when unit ids are stored as given. */
export type RecordProtector = <R extends UnitRecord>(record: R) => R;

/**
 * The protector of a sink: with a unit-id key, the unit ids and the record id are replaced by their
 * keyed hashes (unit-id-hash.ts), so that no raw id reaches a segment, and through it the dedup
 * index, Parquet, quarantine or a warehouse. Without a key, records pass unchanged.
 */
export function recordProtector(key: Buffer | undefined): RecordProtector {
  if (!key) return (r) => r;
  const unit = unitIdHash(key);
  const id = recordIdHash(key);
  return (r) => ({
    ...r,
    id: id(r.id),
    ...(typeof r.unit_id === "string" ? { unit_id: unit(r.unit_id) } : {}),
    ...(typeof r.anonymous_id === "string" ? { anonymous_id: unit(r.anonymous_id) } : {}),
  });
}
