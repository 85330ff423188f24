import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { toDiagnosticReport } from "../../src/diagnostics/json.js";
import { renderDiagnosticsMarkdown, renderDiagnosticsText, summaryLine } from "../../src/diagnostics/render.js";
import { SourceFile } from "../../src/diagnostics/source.js";
import { ansi, painterFor } from "../../src/diagnostics/style.js";

const file = new SourceFile("experiments/x.yaml", "experiment: x\nmetrics:\n  primary: [purchase_conversoin]\n");
const other = new SourceFile("metrics/a.yaml", "metric: a\nexpr: |\n  count(a)\n  / count(b)\n");
const files = new Map([
  [file.path, file],
  [other.path, other],
]);
const at = (f: SourceFile, text: string) => f.span(f.text.indexOf(text), f.text.indexOf(text) + text.length);

const unknownMetric: Diagnostic = {
  code: "EXP3001",
  severity: "error",
  message: 'unknown metric "purchase_conversoin"',
  span: at(file, "purchase_conversoin"),
  suggestion: 'did you mean "purchase_conversion"?',
  related: [{ message: "experiment declared here", span: file.span(12, 13) }],
};
const multiLine: Diagnostic = {
  code: "EXP2206",
  severity: "warning",
  message: "spans two lines",
  span: other.span(other.text.indexOf("count(a)"), other.text.indexOf("count(b)") + 8),
};
const global: Diagnostic = { code: "EXP1001", severity: "error", message: "no exp.yaml" };
const note: Diagnostic = { code: "EXP4001", severity: "info", message: "power check skipped" };

describe("diagnostic report and text rendering", () => {
  test("JSON form: the fields of docs/cli.md, sorted by file/line/column/code, de-duplicated, info left out", () => {
    const r = toDiagnosticReport([multiLine, unknownMetric, unknownMetric, global, note]);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.file, d.line, d.column]),
      [
        ["EXP1001", undefined, undefined, undefined],
        ["EXP3001", "experiments/x.yaml", 3, 13],
        ["EXP2206", "metrics/a.yaml", 3, 3],
      ],
    );
    assert.deepEqual(r.diagnostics[1], {
      code: "EXP3001",
      severity: "error",
      message: 'unknown metric "purchase_conversoin"',
      file: "experiments/x.yaml",
      line: 3,
      column: 13,
      endLine: 3,
      endColumn: 32,
      suggestion: 'did you mean "purchase_conversion"?',
      related: [{ message: "experiment declared here", file: "experiments/x.yaml", line: 1, column: 13, endLine: 1, endColumn: 14 }],
    });
    assert.equal(toDiagnosticReport([multiLine]).ok, true);
    assert.equal(toDiagnosticReport([note], { includeInfo: true }).diagnostics.length, 1);
  });

  test("caret snippet with gutter, note and help; multi-line spans underline their first line", () => {
    const text = renderDiagnosticsText(toDiagnosticReport([unknownMetric, multiLine, global]), (f) => files.get(f));
    assert.equal(
      text,
      [
        "error[EXP1001]: no exp.yaml",
        "",
        'error[EXP3001]: unknown metric "purchase_conversoin"',
        " --> experiments/x.yaml:3:13",
        "  |",
        "3 |   primary: [purchase_conversoin]",
        "  |             ^^^^^^^^^^^^^^^^^^^",
        "  = note: experiment declared here --> experiments/x.yaml:1:13",
        '  = help: did you mean "purchase_conversion"?',
        "",
        "warning[EXP2206]: spans two lines",
        " --> metrics/a.yaml:3:3",
        "  |",
        "3 |   count(a)",
        "  |   ^^^^^^^^",
        "",
        "2 errors, 1 warning",
        "",
      ].join("\n"),
    );
  });

  test("colour: ANSI only through the painter; painterFor picks plain off a TTY or with NO_COLOR", () => {
    const coloured = renderDiagnosticsText(toDiagnosticReport([unknownMetric]), (f) => files.get(f), ansi);
    assert.match(coloured, /\x1b\[1;31merror\[EXP3001\]/);
    assert.equal(
      coloured.replace(/\x1b\[[0-9;]*m/g, ""),
      renderDiagnosticsText(toDiagnosticReport([unknownMetric]), (f) => files.get(f)),
    );
    assert.equal(painterFor({ isTTY: false }, {})("error", "x"), "x");
    assert.equal(painterFor({ isTTY: true }, { NO_COLOR: "1" })("error", "x"), "x");
    assert.notEqual(painterFor({ isTTY: true }, {})("error", "x"), "x");
  });

  test("summary line and markdown", () => {
    assert.equal(summaryLine([{ severity: "error" }, { severity: "error" }, { severity: "warning" }]), "2 errors, 1 warning");
    assert.equal(summaryLine([]), "");
    const md = renderDiagnosticsMarkdown(toDiagnosticReport([unknownMetric]));
    assert.match(md, /\*\*EXP3001\*\* `experiments\/x\.yaml:3:13` unknown metric "purchase\\_conversoin"/);
    assert.match(md, /\*\*1 error\*\*/);
  });
});
