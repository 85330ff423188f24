/** What `exp serve` does for privacy (exp.yaml `privacy:`, docs/privacy.md); everything is off when absent. */
export interface ServerPrivacy {
  /** HMAC key: unit ids and record ids are stored as keyed hashes (unit-id-hash.ts). */
  unitIdKey?: Buffer;
  /** Unit ids (as sent) whose exposures and events are dropped. */
  optOut?: ReadonlySet<string>;
  /** Data older than this (ms) is purged at compaction. */
  retentionMs?: number;
}
