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
  // The shapes expressions are checked against live in src/dsl/declarations.ts: the language never
  // imports the workspace, which builds its model with them.
  dsl: { may: ["ruleset/semver.ts"], npm: ["chevrotain"], node: false },
  // Must not import the parser, the workspace, CLI or UI code.
  "dsl/check": { may: ["dsl/ast.ts", "dsl/codes.ts", "dsl/printer.ts", "dsl/declarations.ts", "ruleset/semver.ts"], npm: [], node: false },
  workspace: { may: ["dsl", "fsio"], npm: ["yaml", "ajv"], node: true },
  "workspace/build": {
    may: [
      "workspace/model.ts",
      "workspace/codes.ts",
      "workspace/scalar-offsets.ts",
      // The default publish target of an environment.
      "workspace/environment.ts",
      types("workspace/yaml-tree.ts"),
      "dsl",
    ],
    npm: [],
    node: false,
  },
  "workspace/checks": { may: ["workspace/model.ts", "dsl"], npm: [], node: false },
  // The ruleset contract (types, canonical JSON, checksum, verification, hashing).
  ruleset: { may: ["fsio"], npm: ["ajv", "ajv-formats"], node: true },
  "compiler/ruleset": {
    may: ["ruleset", "workspace/model.ts", types("dsl")],
    npm: ["ajv", "ajv-formats"],
    node: true,
  },
  "compiler/sql": { may: [types("dsl"), "workspace/model.ts"], npm: [], node: false },
  plan: { may: ["ruleset", "compiler/ruleset", "workspace", "dsl", "stats", "fsio"], npm: ["yaml", "simple-git"], node: true },
  "plan/checks": { may: ["dsl", "workspace/model.ts", "ruleset/semver.ts", "ruleset/types.ts"], npm: ["simple-git"], node: false },
  "plan/target": {
    may: [
      "ruleset",
      "fsio",
      types("workspace/model.ts"),
      "workspace/root.ts",
      "workspace/secret.ts",
      // Which environment's publish target exp.yaml names, read before the workspace loads.
      "workspace/environment.ts",
      "workspace/codes.ts",
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
  runtime: { may: ["ruleset"], npm: [types("@openfeature/server-sdk")], node: true },
  "runtime/server": {
    may: ["ruleset", "runtime", "plan/target", "stats", "compiler/ruleset", "workspace", "fsio"],
    npm: ["@duckdb/node-api"],
    node: true,
  },
  analysis: {
    may: ["ruleset", "compiler/sql", "stats", "workspace/model.ts", "workspace/design.ts", "workspace/secret.ts", "gitops/commit.ts"],
    npm: ["pg", "@duckdb/node-api"],
    node: true,
  },
  bandit: { may: ["stats", types("analysis"), "workspace", "ruleset/hash.ts"], npm: null, node: true },
  report: { may: [types("stats"), types("diagnostics/style.ts")], npm: ["vega", "vega-lite"], node: false },
  // Finds the workspace but never loads or plans it (the use case src/app/github-plan.ts does, and is passed in).
  gitops: { may: ["workspace/root.ts", "plan", "fsio"], npm: ["@octokit/rest", "simple-git"], node: true },
  // "Types or pure functions from domain folders"; never src/cli.
  ui: { may: DOMAIN.filter((a) => a !== "ruleset"), npm: ["react", "ink"], node: true },
  // Use cases: every domain area; imported only by src/cli and src/demo.
  app: { may: DOMAIN, npm: null, node: true },
  demo: { may: ["app", ...DOMAIN], npm: null, node: true },
  cli: { may: ["app", "demo", "ui", ...DOMAIN], npm: null, node: true },
};

/** src/runtime files bundled for browsers (src/runtime/README.md): they import nothing from Node or npm. */
const EVALUATION = [
  ...["condition", "evaluator", "evaluation-scope", "experiment", "flag", "flag-rule", "flag-results", "instant", "result"].map(
    (f) => `src/runtime/${f}\\.ts$`,
  ),
  ...["types", "hash", "semver", "canonical-json", "references", "codes", "own"].map((f) => `src/ruleset/${f}\\.ts$`),
];

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
const KNOWN_VIOLATIONS = [];

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
