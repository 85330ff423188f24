import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DOC, renderDiagnosticsDoc } from "./diagnostics-doc.js";

test("docs/diagnostics.md lists every registered code and is up to date", async () => {
  const expected = await renderDiagnosticsDoc();
  for (const code of ["EXP1001", "EXP1020", "EXP2101", "EXP3001"]) assert.match(expected, new RegExp(`\\| ${code} \\|`));
  assert.equal(readFileSync(DOC, "utf8"), expected, "regenerate with: node --import tsx test/workspace/diagnostics-doc.ts --write");
});
