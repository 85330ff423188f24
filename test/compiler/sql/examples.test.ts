import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import pkg from "node-sql-parser";
import { compileExperimentSql, DIALECT_NAMES, dialects } from "../../../src/compiler/sql/index.js";
import { loadWorkspace } from "../../../src/workspace/load.js";
import type { Workspace } from "../../../src/workspace/model.js";

// Every experiment of the example workspace, loaded by the real loader, compiles in every dialect.
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PARSER_DB: Record<string, string> = { bigquery: "bigquery", snowflake: "snowflake", trino: "trino", postgres: "postgresql" };
let workspace: Workspace;

describe("the example workspace compiles", () => {
  before(async () => {
    const loaded = await loadWorkspace(ROOT);
    assert.ok(loaded.value);
    workspace = loaded.value;
  });

  for (const dialect of DIALECT_NAMES) {
    test(`${dialect}: every experiment, no diagnostics${PARSER_DB[dialect] ? ", and node-sql-parser reads it" : ""}`, () => {
      const parser = new pkg.Parser();
      assert.ok(workspace.experiments.size > 0);
      for (const experiment of workspace.experiments.values()) {
        const compiled = compileExperimentSql({ workspace, experiment, dialect });
        const wanted = new Set([...experiment.metrics.primary, ...experiment.metrics.secondary, ...experiment.metrics.guardrails]);
        // An engine without window functions refuses the quantile metrics, one diagnostic each.
        const refused = [...wanted].filter(
          (k) => dialects[dialect].windowFunctions === false && workspace.metrics.get(k)?.kind === "quantile",
        );
        assert.deepEqual(
          compiled.diagnostics.map((d) => d.code),
          refused.map(() => "EXP6010"),
          experiment.key,
        );
        assert.equal(compiled.metrics.length, wanted.size - refused.length, experiment.key);
        const db = PARSER_DB[dialect];
        // Postgres SQL has $n::text placeholders, which no grammar takes; its inlined form is parsed.
        const forParser = dialect === "postgres" ? compileExperimentSql({ workspace, experiment, dialect, inlineParams: true }) : compiled;
        if (db) for (const q of [forParser.exposures, ...forParser.metrics]) parser.astify(q.sql, { database: db });
      }
    });
  }
});
