import { test } from "node:test";
import assert from "node:assert/strict";
import { ansi, plain } from "../../src/diagnostics/style.js";
import { renderReportText } from "../../src/report/text.js";
import { sampleReportInput } from "./sample.js";

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

test("the terminal view has the header, one aligned table per tier, guardrails, power and the decision", () => {
  const text = renderReportText(sampleReportInput(), plain);
  assert.match(text, /^One-page checkout \(checkout_redesign\) — report of 2026-12-09$/m);
  assert.match(text, /^ {2}hypothesis {2}The one-page checkout raises purchase conversion by at least 3%\.$/m);
  assert.match(text, /^ {2}control {3}20,011 {2}50\.1% {5}50\.0%$/m);
  assert.match(text, /^ {2}sample ratio: p = 0\.7600 ≥ 0\.001: no mismatch \(χ² = 0\.09\)$/m);
  assert.match(text, /^ {2}phase {7}phase 1, first exposure 2026-12-01 00:00 UTC \(exposures carry their phase\)$/m);
  assert.match(text, /^ {2}horizon {5}39,961 of 36,000 planned units \(111%\): reached$/m);
  const primary = text
    .split("\n")
    .slice(text.split("\n").indexOf("Primary metrics") + 1)
    .slice(0, 2);
  assert.equal(primary[1], "  purchase_conversion (CUPED)  one_page    5.10%         5.40%  +6.00%   +1.00% to +11.00%    0.0080  win");
  assert.equal(primary[0]!.indexOf("verdict"), primary[1]!.indexOf("win"), "columns line up");
  const guard = text.split("\n")[text.split("\n").indexOf("Guardrail metrics") + 2]!;
  assert.equal(guard.indexOf("flat"), primary[1]!.indexOf("win"), "every tier shares the column widths");
  for (const h of ["Secondary metrics", "Guardrail metrics", "Guardrails", "Power"]) assert.match(text, new RegExp(`^${h}$`, "m"));
  assert.match(
    text,
    /^ {2}✔ checkout_errors for one_page: within its margin \(non-inferiority margin 1\.0%\)\.$/m,
    "markdown marks are stripped",
  );
  assert.match(text, /^Decision: ship\n {2}- purchase_conversion improved by \+6\.00%/m);
});

test("colour goes through the painter's tokens: the ANSI painter colours, and stripping it gives the plain view", () => {
  const input = sampleReportInput();
  const coloured = renderReportText(input, ansi);
  assert.ok(coloured.includes("\x1b[32mwin\x1b[0m"), "a win is painted as success");
  assert.ok(coloured.includes(`\x1b[32mship\x1b[0m`), "the ship decision is painted as success");
  assert.equal(strip(coloured), renderReportText(input, plain));
});

test("the terminal view lists declared amendments under the hypothesis", () => {
  const input = sampleReportInput();
  assert.doesNotMatch(renderReportText(input, plain), /amendments/);
  input.experiment.amendments = [{ reason: "Guardrail margin widened after review", date: "2026-12-03T10:00:00Z" }];
  assert.match(renderReportText(input, plain), /^ {2}amendments {2}1\. 2026-12-03: Guardrail margin widened after review$/m);
});
