import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compactSegments, DEFAULT_LAYOUT, type ParquetLayout } from "../../../src/runtime/server/compaction.js";
import { addTombstones } from "../../../src/runtime/server/privacy/tombstones.js";
import { storedIdDigest } from "../../../src/runtime/server/privacy/unit-id-hash.js";
import { loadRecentIds } from "../../../src/runtime/server/recent-ids.js";
import { query } from "./privacy-fixture.js";

const identity = (id: string, anonymous: string, user: string, ts: string) =>
  JSON.stringify({ id, anonymous_id: anonymous, unit_id: user, ts });

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "exp-identities-"));
  mkdirSync(join(dir, "identities"));
  writeFileSync(
    join(dir, "identities", "identities-000001.ndjson"),
    [
      identity("i1", "anon1", "user1", "2026-11-20T10:00:00.000Z"),
      identity("i2", "anon2", "user2", "2026-11-20T11:00:00.000Z"),
      identity("i1", "anon1", "user1", "2026-11-20T10:00:00.000Z"), // a retry that got past the dedup window
      identity("i3", "anon3", "forgotten_user", "2026-11-20T12:00:00.000Z"),
      '{"id":"i4","anonymous_id":"anon4"}', // no user: quarantined, not lost
    ].join("\n") + "\n",
  );
  return dir;
}

test("identity segments become the identities table, remapped, deduplicated, without forgotten units", async () => {
  const dir = dataDir();
  await addTombstones(dir, [storedIdDigest("forgotten_user")]);
  const layout: ParquetLayout = {
    tables: { ...DEFAULT_LAYOUT.tables, identities: "crm.logins" },
    columns: { ...DEFAULT_LAYOUT.columns, identities: { anonymous_id: "device_id", unit_id: "account_id", ts: "logged_in_at" } },
  };
  const r = await compactSegments(dir, layout, { identities: 2 });
  assert.deepEqual(r.identities, { segments: 1, records: 2, duplicates: 1, quarantined: 1, forgotten: 1, expired: 0 });
  const rows = await query(
    ":memory:",
    `SELECT device_id, account_id, CAST(logged_in_at AS VARCHAR), identity_id FROM read_parquet('${join(dir, "parquet", "logins", "*.parquet")}') ORDER BY identity_id`,
  );
  assert.deepEqual(rows, [
    ["anon1", "user1", "2026-11-20 10:00:00", "i1"],
    ["anon2", "user2", "2026-11-20 11:00:00", "i2"],
  ]);
  const recent = await loadRecentIds(dir, layout, "identities", 10);
  assert.deepEqual([recent.dedup.has("i1"), recent.dedup.has("i2"), recent.highest], [true, true, 1]);
});
