import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// The import-boundary linter (.dependency-cruiser.cjs, `npm run lint`): the tree passes apart from the
// listed known violations, every listed one still occurs, the allowed graph has no folder cycle, and a
// new forbidden import fails.

const ROOT = new URL("../../", import.meta.url).pathname;
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}
interface AreaSpec {
  may: (string | { target: string })[];
}
const config = createRequire(import.meta.url)(CONFIG) as {
  AREAS: Record<string, AreaSpec>;
  KNOWN_VIOLATIONS: Violation[];
};

/** Runs the linter on `src` in `cwd`, the known-violations list switched off, and returns every violation. */
function cruise(cwd: string): Violation[] {
  const r = spawnSync(process.execPath, [DEPCRUISE, "src", "--config", CONFIG, "--no-ignore-known", "--output-type", "json"], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.ok(r.stdout.trim().startsWith("{"), `dependency-cruiser printed no result (exit ${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const key = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;

describe("import boundaries (npm run lint)", { timeout: 300_000 }, () => {
  test("the tree breaks no rule beyond the known violations, and every known violation still occurs", () => {
    const found = new Set(cruise(ROOT).map(key));
    const known = new Set(config.KNOWN_VIOLATIONS.map(key));
    const fresh = [...found].filter((v) => !known.has(v));
    const stale = [...known].filter((v) => !found.has(v));
    assert.deepEqual(fresh, [], "new boundary violations: fix the import, or change the folder's README and the rule on purpose");
    assert.deepEqual(stale, [], "fixed violations still listed: delete them from KNOWN_VIOLATIONS in .dependency-cruiser.cjs");
  });

  test("the allowed imports between top-level folders have no cycle", () => {
    const top = (path: string) => path.split("/")[0]!;
    const edges = new Map<string, Set<string>>();
    for (const [area, spec] of Object.entries(config.AREAS)) {
      const from = top(area);
      for (const m of spec.may) {
        const to = top(typeof m === "string" ? m : m.target);
        if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const state = new Map<string, "open" | "done">();
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === "done") return;
      assert.notEqual(state.get(node), "open", `folder cycle in the allowed imports: ${[...path, node].join(" → ")}`);
      state.set(node, "open");
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, "done");
    };
    for (const node of edges.keys()) visit(node, []);
  });

  test("a new forbidden import fails, an allowed one passes", () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-boundaries-"));
    try {
      const files: Record<string, string> = {
        "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
        "src/cli/main.ts": "export const main = 1;\n",
        "src/ui/confirm.tsx": "export const confirm = 1;\n",
        "src/workspace/model.ts": "export interface Workspace { project: string }\n",
        "src/diagnostics/diagnostic.ts": "export const diagnostic = 1;\n",
        "src/stats/welch.ts": 'import { diagnostic } from "../diagnostics/diagnostic.js";\nexport const welch = diagnostic;\n',
        // stats never imports the CLI or the UI
        "src/stats/leak-cli.ts": 'import { main } from "../cli/main.js";\nexport const x = main;\n',
        "src/runtime/server/leak-ui.ts": 'import { confirm } from "../../ui/confirm.js";\nexport const x = confirm;\n',
        // the evaluation files import nothing from Node
        "src/runtime/evaluator.ts": 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n',
        // diagnostics sits below every area
        "src/diagnostics/leak.ts": 'import type { Workspace } from "../workspace/model.js";\nexport type X = Workspace;\n',
        // only src/cli and src/demo import the use cases
        "src/app/validate.ts": "export const validate = 1;\n",
        "src/plan/leak-app.ts": 'import { validate } from "../app/validate.js";\nexport const x = validate;\n',
        // stats uses jstat only
        "src/stats/leak-npm.ts": 'import { parse } from "yaml";\nexport const x = parse;\n',
        // allowed: plan reads the workspace model, the CLI reaches everything
        "src/plan/ok.ts": 'import type { Workspace } from "../workspace/model.js";\nexport type X = Workspace;\n',
        "src/cli/ok.ts":
          'import { validate } from "../app/validate.js";\nimport { welch } from "../stats/welch.js";\nexport const x = [validate, welch];\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
      symlinkSync(join(ROOT, "package.json"), join(dir, "package.json"));

      const found = cruise(dir).map((v) => `${v.rule.name}: ${v.from}`);
      for (const expected of [
        "stats:may-import: src/stats/leak-cli.ts",
        "runtime/server:may-import: src/runtime/server/leak-ui.ts",
        "runtime:evaluation-is-portable: src/runtime/evaluator.ts",
        "diagnostics:may-import: src/diagnostics/leak.ts",
        "plan:may-import: src/plan/leak-app.ts",
        "app:imported-by-cli-and-demo: src/plan/leak-app.ts",
        "stats:npm: src/stats/leak-npm.ts",
      ])
        assert.ok(found.includes(expected), `expected ${expected}; found ${found.join("; ")}`);
      const clean = ["src/plan/ok.ts", "src/cli/ok.ts", "src/stats/welch.ts"];
      assert.deepEqual(
        found.filter((v) => clean.some((f) => v.endsWith(f))),
        [],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
