import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SourceFile } from "../../src/diagnostics/source.js";
import { runFmt } from "../../src/cli/fmt.js";
import { formatSource } from "../../src/workspace/format.js";
import { parseSource } from "../../src/workspace/parse-file.js";
import type { FileKind } from "../../src/workspace/schema.js";
import { copyExample, workspaceFiles } from "./fuzz-support.js";
import { rng } from "./mutate.js";

const kindOf = (p: string): FileKind =>
  p === "exp.yaml"
    ? "exp"
    : p === "layers.yaml"
      ? "layers"
      : ({ metrics: "metric", experiments: "experiment", flags: "flag", segments: "segment" } as const)[p.split("/")[0] as "metrics"];
const fmt = (path: string, text: string) => formatSource(new SourceFile(path, text), kindOf(path)).text;

describe("exp fmt", () => {
  test("canonical order, pretty expressions, comments kept", () => {
    const messy = [
      "# top comment",
      "expr: count(click where position<=5)/count(impression)  # ctr",
      "# owner comment",
      "owner: search",
      "metric: ctr",
      "guardrail: {max_regression: 1%}",
      "",
    ].join("\n");
    assert.equal(
      fmt("metrics/ctr.yaml", messy),
      [
        "# top comment",
        "metric: ctr",
        "# owner comment",
        "owner: search",
        "expr: count(click where position <= 5) / count(impression) # ctr",
        "guardrail: {max_regression: 1%}",
        "",
      ].join("\n"),
    );
  });

  test("mappings keyed by user names keep their order; nested known keys are ordered", () => {
    const text =
      "experiment: e\nstatus: running\nvariants:\n  zeta: {config: {b: 1}, weight: 1}\n  alpha: {weight: 1}\nmetrics: {guardrails: [g], primary: [p]}\n";
    assert.equal(
      fmt("experiments/e.yaml", text),
      "experiment: e\nstatus: running\nvariants:\n  zeta: {weight: 1, config: {b: 1}}\n  alpha: {weight: 1}\nmetrics: {primary: [p], guardrails: [g]}\n",
    );
  });

  test("block-scalar and quoted expressions", () => {
    const text = 'segment: s\nwhen: |\n  is_employee   and\n  country=="US"\n';
    assert.equal(fmt("segments/s.yaml", text), 'segment: s\nwhen: is_employee and country == "US"\n');
    assert.equal(fmt("segments/s.yaml", "segment: s\nwhen: '\"US\" == country'\n"), "segment: s\nwhen: '\"US\" == country'\n");
  });

  test("idempotent and meaning-preserving on shuffled example files", () => {
    const dir = copyExample();
    try {
      const random = rng(7);
      for (const path of workspaceFiles(dir)) {
        const original = readFileSync(join(dir, path), "utf8");
        // Shuffle the top-level blocks (a key line plus its indented continuation lines).
        const blocks: string[][] = [];
        for (const line of original.split("\n")) {
          if (line === "") continue;
          if (/^\s/.test(line) && blocks.length) blocks[blocks.length - 1]!.push(line);
          else blocks.push([line]);
        }
        const comment = blocks[0]![0]!.startsWith("#") ? blocks.shift()! : [];
        blocks.sort(() => random() - 0.5);
        const shuffled = [...comment, ...blocks.flat()].join("\n") + "\n";
        const once = fmt(path, shuffled);
        assert.equal(fmt(path, once), once, `${path} not idempotent`);
        assert.equal(once, original, `${path}: formatting a shuffled copy does not give the canonical file back`);
        const before = parseSource(new SourceFile(path, shuffled), kindOf(path)).rawish;
        const after = parseSource(new SourceFile(path, once), kindOf(path)).rawish;
        assert.deepEqual(after, before);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--check lists files and writes nothing; a file with errors is never written", async () => {
    const dir = copyExample();
    try {
      const p = join(dir, "segments/employees.yaml");
      const messy = 'when: is_employee or country=="XX"\nsegment: employees\n';
      writeFileSync(p, messy);
      const broken = join(dir, "metrics/page_views.yaml");
      writeFileSync(broken, "expr: count(page_veiw)\nmetric: page_views\n");
      const check = await runFmt({ dir, check: true, format: "json" });
      assert.equal(check.exitCode, 1);
      assert.deepEqual([check.changed, check.skipped], [["segments/employees.yaml"], ["metrics/page_views.yaml"]]);
      assert.equal(readFileSync(p, "utf8"), messy);
      const write = await runFmt({ dir, check: false, format: "text" });
      assert.equal(write.exitCode, 1); // the broken file is still there
      assert.equal(readFileSync(p, "utf8"), 'segment: employees\nwhen: is_employee or country == "XX"\n');
      assert.equal(readFileSync(broken, "utf8"), "expr: count(page_veiw)\nmetric: page_views\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
