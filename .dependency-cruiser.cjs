// Import boundaries of src/, one entry per folder README's "may import" list (`npm run lint`).
//
// An area is a folder of src/ with a README; its subfolders without a README belong to it. For each
// area the table below says which other areas it may import (`may`), which npm packages (`npm`; `null`
// where the README names none, so packages are not checked), and whether Node built-ins are allowed.
// `types("x")` allows type-only imports from x; a path with a file name allows that file only.
// An area may always import its own files, its own sub-areas, src/diagnostics (the diagnostics README:
// "every area depends on this folder") and src/version.ts (a constant with no imports).
//
// The allowed graph between the top-level areas has no cycle (test/repo/boundaries.test.ts checks
// it), so a folder cycle in src/ cannot appear without breaking one of the rules below: "no folder
// cycles" holds by construction.
//
// Known violations are listed at the bottom, each with the rule it breaks and the way out. They are
// tolerated until fixed, and then must be deleted (the boundaries test fails on a stale entry).

/** A type-only allowance: `import type` from these files or folders, nothing at run time. */
const types = (target) => ({ target });

/** The domain areas: everything but the commands (src/cli), the terminal views (src/ui), the use cases and the demo. */
const DOMAIN = [
  "workspace",
  "dsl",
  "ruleset",
  "compiler/ruleset",
  "compiler/sql",
  "plan",
  "runtime",
  "stats",
  "analysis",
  "report",
  "gitops",
  "bandit",
  "fsio",
];

const AREAS = {
  diagnostics: { may: [], npm: [], node: true },
  fsio: { may: [], npm: [], node: true },
  stats: { may: [], npm: ["jstat"], node: false },
  // The dsl README also allows types from src/workspace/model.ts, but src/workspace imports src/dsl,
  // so that allowance is a folder cycle (dsl ⇄ workspace); the imports are known violations below.
  dsl: { may: [], npm: ["chevrotain"], node: false },
  // Must not import the parser, workspace loading, CLI or UI code.
  "dsl/check": { may: ["dsl/ast.ts", "dsl/codes.ts", "dsl/printer.ts"], npm: [], node: false },
  workspace: { may: ["dsl", "fsio"], npm: ["yaml", "ajv"], node: true },
  "workspace/build": { may: ["workspace/model.ts", "workspace/codes.ts", "workspace/scalar-offsets.ts", "dsl"], npm: [], node: false },
  "workspace/checks": { may: ["workspace/model.ts", "dsl"], npm: [], node: false },
  // The ruleset contract (types, canonical JSON, checksum, verification, hashing).
  ruleset: { may: ["fsio"], npm: ["ajv", "ajv-formats"], node: true },
  // The README also allows src/runtime (types, hashing), but src/runtime/server imports src/plan, which
  // imports this folder: a folder cycle (plan → compiler → runtime → plan). Those types and the hashing
  // move to src/ruleset; until then the imports are known violations below.
  "compiler/ruleset": {
    may: ["ruleset", "workspace/model.ts", types("dsl/ast.ts")],
    npm: ["ajv", "ajv-formats"],
    node: true,
  },
  "compiler/sql": { may: [types("dsl"), "workspace/model.ts"], npm: [], node: false },
  plan: { may: ["ruleset", "compiler/ruleset", "workspace", "fsio"], npm: ["yaml", "simple-git"], node: true },
  "plan/checks": { may: ["dsl", "workspace/model.ts"], npm: ["simple-git"], node: false },
  "plan/target": {
    may: [
      "ruleset",
      "fsio",
      types("workspace"),
      "plan/audit.ts",
      "plan/audit-verify.ts",
      "plan/audit-append.ts",
      "plan/audit-actor.ts",
      "plan/lock.ts",
    ],
    npm: ["yaml"],
    node: true,
  },
  // The evaluation files (see EVALUATION below) are stricter: nothing from Node or npm.
  // client.ts verifies rulesets with src/compiler/ruleset/verify.ts (to move to src/ruleset).
  runtime: { may: ["ruleset", "compiler/ruleset"], npm: [types("@openfeature/server-sdk")], node: true },
  "runtime/server": {
    may: ["ruleset", "runtime", "plan/target", "stats", "compiler/ruleset", "workspace", "fsio"],
    npm: ["@duckdb/node-api"],
    node: true,
  },
  analysis: {
    may: ["ruleset", "compiler/sql", "stats", "workspace/model.ts", "gitops/commit.ts"],
    npm: ["pg", "@duckdb/node-api"],
    node: true,
  },
  bandit: { may: ["stats", types("analysis"), "workspace"], npm: null, node: true },
  report: { may: [types("stats"), types("diagnostics/style.ts")], npm: ["vega", "vega-lite"], node: false },
  // The workspace loader only through compute-plan.ts (a rule below).
  gitops: { may: ["workspace"], npm: ["@octokit/rest", "simple-git"], node: true },
  // "Types or pure functions from domain folders"; never src/cli.
  ui: { may: DOMAIN.filter((a) => a !== "ruleset"), npm: ["react", "ink"], node: true },
  // Use cases: every domain area; imported only by src/cli and src/demo.
  app: { may: DOMAIN, npm: null, node: true },
  demo: { may: ["app", ...DOMAIN], npm: null, node: true },
  cli: { may: ["app", "demo", "ui", ...DOMAIN], npm: null, node: true },
};

/** src/runtime files bundled for browsers (src/runtime/README.md): they import nothing from Node or npm. */
const EVALUATION = ["hash", "ruleset", "condition", "semver", "evaluator", "result"].map((f) => `src/runtime/${f}\\.ts$`);

/** The files at the top of src/: the package entry point may re-export the SDK; version.ts is a leaf. */
const ROOT_FILES = { "src/index.ts": ["runtime", "ruleset", "compiler/ruleset"], "src/version.ts": [] };

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The path pattern of an area, a sub-folder or a file under src/. */
const srcPath = (target) => (/\.tsx?$/.test(target) ? `^src/${esc(target)}$` : `^src/${esc(target)}/`);
const pkgPath = (name) => `(^|/)node_modules/(@types/)?${esc(name)}(/|$)|^${esc(name)}(/|$)`;
const subAreas = (area) => Object.keys(AREAS).filter((a) => a.startsWith(`${area}/`));
const NPM = ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-bundled", "npm-no-pkg", "npm-unknown", "unknown"];

function areaRules(area, { may, npm, node }) {
  const from = { path: srcPath(area), ...(subAreas(area).length ? { pathNot: subAreas(area).map(srcPath) } : {}) };
  const whole = may.filter((m) => typeof m === "string");
  const typed = may.filter((m) => typeof m !== "string");
  const rules = [
    {
      name: `${area}:may-import`,
      comment: `src/${area} imports only ${[...may.map((m) => (typeof m === "string" ? m : `types of ${m.target}`)), "diagnostics"].join(", ")} (its README)`,
      severity: "error",
      from,
      to: {
        path: "^src/",
        pathNot: [
          srcPath(area),
          ...subAreas(area).map(srcPath),
          "^src/diagnostics/",
          "^src/version\\.ts$",
          ...whole.map(srcPath),
          ...typed.map((t) => srcPath(t.target)),
        ],
      },
    },
  ];
  for (const t of typed) {
    rules.push({
      name: `${area}:types-only`,
      comment: `src/${area} may import types from ${t.target}, nothing at run time (its README)`,
      severity: "error",
      from,
      to: { path: srcPath(t.target), dependencyTypesNot: ["type-only"] },
    });
  }
  if (!node) {
    rules.push({
      name: `${area}:no-node`,
      comment: `src/${area} imports no Node built-ins (its README)`,
      severity: "error",
      from,
      to: { dependencyTypes: ["core"] },
    });
  }
  if (npm) {
    const plain = npm.filter((p) => typeof p === "string");
    const typedPkgs = npm.filter((p) => typeof p !== "string").map((p) => p.target);
    rules.push({
      name: `${area}:npm`,
      comment: `src/${area} uses only the npm packages ${npm.map((p) => (typeof p === "string" ? p : `types of ${p.target}`)).join(", ") || "(none)"} (its README)`,
      severity: "error",
      from,
      to: { dependencyTypes: NPM, ...(plain.length + typedPkgs.length ? { pathNot: [...plain, ...typedPkgs].map(pkgPath) } : {}) },
    });
    for (const p of typedPkgs) {
      rules.push({
        name: `${area}:npm-types-only`,
        comment: `src/${area} may import types from ${p}, nothing at run time (its README)`,
        severity: "error",
        from,
        to: { path: pkgPath(p), dependencyTypesNot: ["type-only"] },
      });
    }
  }
  return rules;
}

const forbidden = [
  ...Object.entries(AREAS).flatMap(([area, spec]) => areaRules(area, spec)),
  {
    name: "runtime:evaluation-is-portable",
    comment: "the evaluation files are bundled for browsers: nothing from Node or npm, not even types (src/runtime/README.md)",
    severity: "error",
    from: { path: EVALUATION },
    to: { dependencyTypes: ["core", ...NPM] },
  },
  {
    name: "gitops:workspace-through-compute-plan",
    comment: "src/gitops reaches the workspace loader only through compute-plan.ts (src/gitops/README.md)",
    severity: "error",
    from: { path: "^src/gitops/", pathNot: "^src/gitops/compute-plan\\.ts$" },
    to: { path: "^src/workspace/" },
  },
  {
    name: "app:imported-by-cli-and-demo",
    comment: "src/app is the use-case layer under the commands: only src/cli and src/demo import it",
    severity: "error",
    from: { path: "^src/", pathNot: ["^src/app/", "^src/cli/", "^src/demo/"] },
    to: { path: "^src/app/" },
  },
  ...Object.entries(ROOT_FILES).map(([file, may]) => ({
    name: `src-root:${file.slice("src/".length)}`,
    comment: may.length ? `${file} re-exports ${may.join(", ")} only` : `${file} imports nothing`,
    severity: "error",
    from: { path: `^${esc(file)}$` },
    to: { path: "^src/", pathNot: [...may.map(srcPath), "^src/diagnostics/", "^src/version\\.ts$"] },
  })),
  {
    name: "src:no-dev-dependencies",
    comment: "code that ships must not need a devDependency at run time (type-only imports are erased)",
    severity: "error",
    from: { path: "^src/" },
    to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
  },
  {
    name: "src:no-undeclared-packages",
    comment: "every package src/ imports is declared in package.json",
    severity: "error",
    from: { path: "^src/" },
    to: { dependencyTypes: ["npm-no-pkg", "npm-unknown", "unknown"], dependencyTypesNot: ["type-only"] },
  },
  {
    name: "src:resolvable",
    comment: "an import that does not resolve is a typo or a missing file",
    severity: "error",
    from: { path: "^src/" },
    to: { couldNotResolve: true },
  },
];

// Known violations of the rules above in today's tree, tolerated until fixed. Delete an entry when
// its import is gone; the boundaries test fails on an entry that no longer occurs. Each says why the
// import is there and the way out.
const known = (rule, from, to, comment) => ({ type: "dependency", rule: { name: rule, severity: "error" }, from, to, comment });
const KNOWN_VIOLATIONS = [
  // The ruleset types and the hashing live in src/runtime while the compiler writes rulesets: the
  // compiler → runtime edge closes the folder cycle plan → compiler → runtime (server) → plan.
  // Way out: the ruleset contract moves to src/ruleset, which compiler, plan and runtime all import.
  known("compiler/ruleset:may-import", "src/compiler/ruleset/compile.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/compile.ts", "src/runtime/hash.ts", "hashing → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/condition.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/flagd-condition.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/flagd.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/flagd.ts", "src/runtime/hash.ts", "hashing → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/references.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/references.ts", "src/runtime/hash.ts", "hashing → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/slots.ts", "src/runtime/hash.ts", "hashing → src/ruleset"),
  known("compiler/ruleset:may-import", "src/compiler/ruleset/verify.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  // src/plan is not allowed src/runtime (its README), and with the server importing src/plan/target
  // this is the plan ⇄ runtime folder cycle. Way out: the ruleset types from src/ruleset.
  known("plan:may-import", "src/plan/apply.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("plan:may-import", "src/plan/diff.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("plan:may-import", "src/plan/plan.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("plan:may-import", "src/plan/prepare.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  known("plan:may-import", "src/plan/reassign.ts", "src/runtime/ruleset.ts", "ruleset types → src/ruleset"),
  // The power check sizes experiments with the stats engine, which the plan README does not list.
  // Way out: add src/stats to src/plan/README.md (stats imports nothing, so no cycle), or pass the
  // power function in from the command as the ruleset verifier is.
  known("plan:may-import", "src/plan/power-check.ts", "src/stats/power.ts", "add src/stats to the plan README or inject it"),
  // The checks of the expression language read the workspace's declaration types, while src/workspace
  // imports src/dsl: the dsl ⇄ workspace folder cycle (type-only). Way out: src/dsl declares the
  // shapes its checks need (CheckEnv: attribute and event property types, segments) and
  // src/workspace/model.ts uses or satisfies them.
  known("dsl/check:may-import", "src/dsl/check/env.ts", "src/workspace/model.ts", "declare the shapes in src/dsl"),
  known("dsl/check:may-import", "src/dsl/check/metric/classify.ts", "src/workspace/model.ts", "declare the shapes in src/dsl"),
  known("dsl/check:may-import", "src/dsl/check/scope.ts", "src/workspace/model.ts", "declare the shapes in src/dsl"),
  known("dsl/check:may-import", "src/dsl/check/segment-cycles.ts", "src/workspace/model.ts", "declare the shapes in src/dsl"),
  known("dsl/check:may-import", "src/dsl/check/types.ts", "src/workspace/model.ts", "declare the shapes in src/dsl"),
  // Builders may import ../model, ../codes and ../scalar-offsets only; the build context takes the
  // YAML tree type. Way out: add yaml-tree.ts (types) to src/workspace/build/README.md.
  known("workspace/build:may-import", "src/workspace/build/context.ts", "src/workspace/yaml-tree.ts", "list yaml-tree types in the README"),
  // src/gitops may import the workspace loader (through compute-plan.ts) but not src/plan; computing
  // the plan for `exp github` belongs to the use-case layer. Way out: src/app computes the plan and
  // passes it (or its markdown) to post-plan.ts.
  known("gitops:may-import", "src/gitops/compute-plan.ts", "src/plan/prepare.ts", "plan computed by src/app"),
  known("gitops:may-import", "src/gitops/compute-plan.ts", "src/plan/render-markdown.ts", "plan computed by src/app"),
  // A bandit's new weights are turned into basis points with the runtime's hashing helpers, which
  // the bandit README does not list. Way out: take them from src/ruleset once they move there, and
  // list src/bandit among its importers (and src/ruleset in the bandit README).
  known("bandit:may-import", "src/bandit/allocate.ts", "src/runtime/hash.ts", "basis points from src/ruleset"),
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.tsx?$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
    knownViolations: KNOWN_VIOLATIONS,
  },
};

// For test/repo/boundaries.test.ts; not enumerable, so dependency-cruiser's config schema does not see them.
Object.defineProperty(module.exports, "AREAS", { value: AREAS, enumerable: false });
Object.defineProperty(module.exports, "KNOWN_VIOLATIONS", { value: KNOWN_VIOLATIONS, enumerable: false });
