import { createHash, createHmac, createSecretKey } from "node:crypto";

/** The shortest unit-id key accepted: a shorter one makes the stored hashes cheap to reverse by guessing. */
export const MIN_UNIT_ID_KEY_BYTES = 16;

/** What a unit id becomes before it is stored. */
export type UnitIdHash = (unit: string) => string;

/**
 * HMAC-SHA-256 of a unit id under the workspace's secret, as 64 hex digits. Keyed, unlike a plain
 * or salted hash, so that nobody without the secret can test a guessed id (an e-mail address, a
 * customer number) against the stored ones; deterministic, so that exposures and events of one
 * unit still join, and the server, `exp forget` and the analysis paths all derive the same value.
 */
export function unitIdHash(key: Buffer): UnitIdHash {
  if (key.length < MIN_UNIT_ID_KEY_BYTES)
    throw new RangeError(`the unit-id key is ${key.length} bytes; it needs at least ${MIN_UNIT_ID_KEY_BYTES}`);
  // A key object made once, not the raw key prepared again for every record stored.
  const secret = createSecretKey(key);
  return (unit) => createHmac("sha256", secret).update(unit, "utf8").digest("hex");
}

/**
 * A record id hashed under the same key. Ids are opaque deduplication keys, but an SDK derives an
 * exposure's id from the unit id (unkeyed), and clients often build event ids from it, so a stored
 * raw id would let the unit be recovered; a distinct prefix keeps them apart from unit hashes.
 */
export function recordIdHash(key: Buffer): UnitIdHash {
  const hash = unitIdHash(key);
  return (id) => hash(`record:${id}`);
}

/**
 * How the tombstone list and the forget audit name a stored unit id: its SHA-256. The stored id is
 * already keyed when `hash_unit_ids` is on; otherwise this keeps the raw id out of those files,
 * as well as an unkeyed hash can. DuckDB's `sha256(unit_id)` gives the same hex.
 */
export function storedIdDigest(storedUnitId: string): string {
  return createHash("sha256").update(storedUnitId, "utf8").digest("hex");
}
