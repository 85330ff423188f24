import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { compileExperimentSql } from "../../src/compiler/sql/index.js";
import { verifyRuleset } from "../../src/ruleset/verify.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { workspaceFromTree } from "../workspace/fixture-tree.js";

/*
 * A 10,000-term "or" in YAML overflowed the stack (the tree was 10,000 levels deep, and every
 * stage recursed on it). It now validates, compiles to one n-ary ruleset condition that verifies,
 * and compiles to SQL.
 */
const TERMS = 10_000;
const orChain = (name: string) => Array.from({ length: TERMS }, (_, i) => `${name} == "C${i}"`).join(" or ");

describe("a 10,000-term or in a workspace", () => {
  test("validates, compiles to a ruleset that verifies, and to SQL", async () => {
    const dir = workspaceFromTree({
      "segments/staff.yaml": `segment: staff\nwhen: ${orChain("country")}\n`,
      "metrics/conversion.yaml": `metric: conversion\nexpr: any(purchase where ${orChain("currency")})\n`,
    });
    try {
      const loaded = await loadWorkspace(dir);
      assert.deepEqual(loaded.diagnostics, []);
      const ws = loaded.value!;

      const { value: ruleset, diagnostics } = compileRuleset(ws, { createdAt: "2026-12-01T00:00:00.000Z", sourceCommit: "abc123" });
      assert.deepEqual(diagnostics, []);
      const staff = ruleset.segments["staff"]!;
      assert.equal(staff.op, "or");
      assert.equal(staff.op === "or" && staff.args.length, TERMS);
      assert.deepEqual(verifyRuleset(JSON.stringify(ruleset)).diagnostics, []);

      const sql = compileExperimentSql({
        workspace: ws,
        experiment: ws.experiments.get("checkout")!,
        metric: "conversion",
        dialect: "duckdb",
      });
      assert.deepEqual(sql.diagnostics, []);
      assert.ok(sql.metrics[0]!.params.length >= TERMS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
