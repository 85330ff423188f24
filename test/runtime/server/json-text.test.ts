import { test } from "node:test";
import assert from "node:assert/strict";
import { numberText, stringText } from "../../../src/runtime/server/json-text.js";

test("a string's JSON text is JSON.stringify's, for every UTF-16 code unit and for pairs", () => {
  for (let c = 0; c < 0x10000; c++) {
    const s = `id-${String.fromCharCode(c)}-x`;
    assert.equal(stringText(s), JSON.stringify(s), `code unit ${c.toString(16)}`);
  }
  for (const s of ["", "user_4242", "😀", "a\ud83d\ude00b", "\ud83d", "\ude00", "\ud83d\ud83d\ude00", '"', "\\", "\u2028\u2029", "é日本"])
    assert.equal(stringText(s), JSON.stringify(s));
});

test("a number's JSON text is JSON.stringify's, null for the values JSON has no number for", () => {
  for (const n of [
    0,
    -0,
    1,
    -1.5,
    0.001,
    1e-7,
    1e21,
    123456789.123,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    NaN,
    Infinity,
    -Infinity,
  ])
    assert.equal(numberText(n), JSON.stringify(n), String(n));
});
