import { test } from "node:test";
import assert from "node:assert/strict";
import { parseIsoTime } from "../../../src/runtime/server/iso-time.js";

const ms = (text: string) => {
  const t = parseIsoTime(text);
  return "ms" in t ? new Date(t.ms).toISOString() : t.problem;
};

test("strict ISO-8601 date-times: offsets applied, fractions kept to the millisecond", () => {
  assert.equal(ms("2026-12-02T10:00:00Z"), "2026-12-02T10:00:00.000Z");
  assert.equal(ms("2026-12-02T10:00:00.123456789Z"), "2026-12-02T10:00:00.123Z");
  assert.equal(ms("2026-12-02T10:00+01:30"), "2026-12-02T08:30:00.000Z");
  assert.equal(ms("2024-02-29t23:59:59-0000"), "2024-02-29T23:59:59.000Z");
  assert.equal(ms("1970-01-01T00:00:00Z"), "1970-01-01T00:00:00.000Z");
  assert.equal(ms("9999-12-31T23:59:59.999Z"), "9999-12-31T23:59:59.999Z");
});

test("what Date.parse would take or roll over is refused with a reason", () => {
  for (const [text, reason] of [
    ["+010000-01-01T00:00:00Z", /not an ISO-8601/],
    ["2026-02-31T00:00:00Z", /does not exist/],
    ["2025-02-29T00:00:00Z", /does not exist/],
    ["2026-12-02T24:00:00Z", /does not exist/],
    ["2026-12-02", /not an ISO-8601/],
    ["2026-12-02T10:00:00", /not an ISO-8601/],
    ["0099-01-01T00:00:00Z", /1970 to 9999/],
    ["9999-12-31T23:00:00-05:00", /1970 to 9999/],
    ["2026-12-02T10:00:00+24:00", /offset/],
  ] as const)
    assert.match(ms(text), reason, text);
});
