import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlagdCore } from "@openfeature/flagd-core";
import { randomAttributes, randomUnit, rng } from "./random-units.js";

// These tests run the built CLI (bin/exp → dist/): run `npm run build` first.
const ROOT = new URL("../../", import.meta.url).pathname;
const EXP = join(ROOT, "bin/exp");
const UNITS = 100_000;

function exp(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [EXP, ...args], { cwd: ROOT, input, encoding: "utf8", maxBuffer: 1 << 30 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("exp assign and exp export (built CLI, example workspace)", () => {
  before(() => assert.ok(existsSync(join(ROOT, "dist/src/cli/assign.js")), "dist is missing: run npm run build"));

  test("assign an experiment: json and text", () => {
    const j = exp([
      "assign",
      "checkout_redesign",
      "--unit",
      "user_42",
      "--attr",
      "country=US",
      "--attr",
      "platform=web",
      "--desired",
      "--format",
      "json",
      "--at",
      "2026-12-10T00:00:00Z",
    ]);
    assert.equal(j.code, 0, j.stderr);
    const r = JSON.parse(j.stdout);
    assert.equal(r.experiment, "checkout_redesign");
    assert.equal(r.hashKey, "user_42");
    assert.ok(Array.isArray(r.reasons) && r.reasons[0] === "running");
    const t = exp(["assign", "new_search", "--unit", "user_42", "--desired"]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^new_search: true \(variant on\)\n {2}reason: override/);
  });

  test("unknown key, unknown attribute and a badly typed value are user errors with did-you-mean", () => {
    const k = exp(["assign", "chekout_redesign", "--unit", "u", "--desired"]);
    assert.equal(k.code, 1);
    assert.match(k.stderr, /no experiment or flag "chekout_redesign"[\s\S]*did you mean "checkout_redesign"\?/);
    const a = exp(["assign", "new_search", "--unit", "u", "--attr", "contry=US", "--desired"]);
    assert.match(a.stderr, /unknown attribute "contry"[\s\S]*did you mean "country"\?/);
    const n = exp(["assign", "new_search", "--unit", "u", "--attr", "account_age_days=many", "--desired"]);
    assert.equal(n.code, 1);
    assert.match(n.stderr, /error\[EXP5031\]: attribute "account_age_days" is a number/);
    const p = exp(["assign", "new_search", "--unit", "u", "--attr", "platform=webb", "--desired"]);
    assert.match(p.stderr, /did you mean "web"\?/);
    assert.doesNotMatch(k.stderr + a.stderr + n.stderr + p.stderr, /at .*\.js:\d+/);
  });

  test("assign --batch takes {unit, attributes} or the server's {userId, context}, and refuses undeclared or mistyped attributes per line", () => {
    const lines = [
      { unit: "user_42", attributes: { country: "US", platform: "web" } },
      { userId: "user_42", context: { country: "US", platform: "web" } },
      { unit: "user_7", attributes: { contry: "US" } },
      { unit: "user_7", attributes: { account_age_days: "many" } },
      { unit: "user_7", attributes: { platform: "webb" } },
      { unit: "user_7", userId: "user_8" },
      { unit: "user_7", attributes: ["US"] },
    ];
    const out = exp(
      ["assign", "checkout_redesign", "--batch", "--desired", "--at", "2026-12-10T00:00:00Z"],
      lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    );
    assert.equal(out.code, 1, "a refused line makes the run fail");
    const rows = out.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, lines.length);
    const { unit: _u, ...first } = rows[0]!;
    const { unit: _v, ...second } = rows[1]!;
    assert.equal(rows[0]!.unit, "user_42");
    assert.deepEqual(second, first, "both spellings evaluate the same");
    assert.deepEqual(rows.slice(2), [
      { line: 3, error: 'unknown attribute "contry"', suggestion: 'did you mean "country"?' },
      { line: 4, error: 'attribute "account_age_days" is a number, but got "many"' },
      { line: 5, error: 'attribute "platform" is one of web, ios, android, but got "webb"', suggestion: 'did you mean "web"?' },
      { line: 6, error: 'give only one of "userId" and "unit"' },
      { line: 7, error: '"attributes" must be a JSON object of unit attributes' },
    ]);
  });

  test("export --to flagd and ruleset write files atomically; --format is a deprecated alias of --to", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-export-"));
    const to = exp(["export", "--to", "ruleset", "--desired", "--out", join(dir, "r.json")]);
    assert.equal(to.code, 0, to.stderr);
    assert.doesNotMatch(to.stderr, /deprecated/);
    const { verifyRuleset } = await import("../../src/ruleset/verify.js");
    const v = verifyRuleset(readFileSync(join(dir, "r.json"), "utf8"));
    assert.deepEqual(v.diagnostics, []);
    assert.equal(v.value?.schemaVersion, 1);
    const bad = exp(["export", "--to", "flagdd", "--desired"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error\[EXP9001\]: unknown export target "flagdd"\n  = help: did you mean "flagd"\?\n$/);
    const alias = exp(["export", "--format", "ruleset", "--desired", "--out", join(dir, "alias.json")]);
    assert.equal(alias.code, 0, alias.stderr);
    assert.match(alias.stderr, /^warning\[EXP9011\]: --format ruleset is deprecated for exp export; use --to ruleset$/m);
    const checksum = (f: string) => (JSON.parse(readFileSync(join(dir, f), "utf8")) as { checksum: string }).checksum;
    assert.equal(checksum("alias.json"), checksum("r.json"));
    const none = exp(["export", "--desired"]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^error\[EXP9001\]: exp export needs --to flagd or --to ruleset/);
  });

  test(`assign --batch agrees with flagd-core on the flagd export for every flag (${UNITS} units each)`, () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-agree-"));
    const file = join(dir, "flags.json");
    const e = exp(["export", "--to", "flagd", "--desired", "--out", file]);
    assert.equal(e.code, 0, e.stderr);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    const core = new FlagdCore();
    core.setConfigurations(JSON.stringify(doc));
    const r = rng(7);
    // --batch refuses attributes exp.yaml does not declare, as --attr does; the random "email" is one.
    const declared = (attrs: Record<string, unknown>) => Object.fromEntries(Object.entries(attrs).filter(([k]) => k !== "email"));
    const rows = Array.from({ length: UNITS }, (_, i) => ({ unit: randomUnit(r, i), attributes: declared(randomAttributes(r)) }));
    const input = rows.map((x) => JSON.stringify(x)).join("\n") + "\n";
    let compared = 0;
    let agreed = 0;
    const flags = Object.keys(doc.flags);
    assert.ok(flags.length >= 5);
    // flagd-core reads the time from Date.now(); both sides evaluate at the same instant.
    const at = process.env.EXP_NOW || new Date().toISOString();
    const atMs = Date.parse(at);
    const realNow = Date.now;
    for (const key of flags) {
      const started = realNow();
      const out = exp(["assign", key, "--batch", "--desired", "--at", at], input);
      assert.equal(out.code, 0, out.stderr);
      const lines = out.stdout.trimEnd().split("\n");
      assert.equal(lines.length, UNITS);
      const variants = new Set<string>();
      const sample = Object.values(doc.flags[key].variants)[0];
      const resolve =
        typeof sample === "boolean"
          ? core.resolveBooleanEvaluation.bind(core)
          : typeof sample === "string"
            ? core.resolveStringEvaluation.bind(core)
            : typeof sample === "number"
              ? core.resolveNumberEvaluation.bind(core)
              : core.resolveObjectEvaluation.bind(core);
      for (let i = 0; i < UNITS; i++) {
        const ours = JSON.parse(lines[i]!);
        const ctx = { ...rows[i]!.attributes, targetingKey: rows[i]!.unit } as never;
        Date.now = () => atMs;
        let theirs;
        try {
          theirs = resolve(key, null as never, ctx);
        } finally {
          Date.now = realNow;
        }
        compared++;
        // A split-URL experiment is exported as an object flag of its own key: its value carries the url.
        const same =
          "experiment" in ours
            ? (ours.variant ?? doc.flags[key].defaultVariant) === theirs.variant &&
              ours.url === (theirs.value as unknown as { url: unknown }).url
            : ours.variant === theirs.variant && JSON.stringify(ours.value) === JSON.stringify(theirs.value);
        if (ours.unit === rows[i]!.unit && same) agreed++;
        variants.add(ours.variant);
      }
      console.log(JSON.stringify({ flag: key, units: UNITS, cliMs: realNow() - started, variants: [...variants] }));
    }
    console.log(JSON.stringify({ agreement: agreed / compared, compared }));
    assert.equal(agreed, compared);
  });
});

describe("exp assign reads the published ruleset by default", () => {
  test("published vs --desired", async () => {
    const { cpSync } = await import("node:fs");
    const { DirectoryTarget } = await import("../../src/plan/target/directory.js");
    const { loadWorkspace } = await import("../../src/workspace/load.js");
    const { compileRuleset } = await import("../../src/compiler/ruleset/compile.js");
    const dir = mkdtempSync(join(tmpdir(), "exp-published-"));
    for (const f of ["exp.yaml", "layers.yaml", "experiments", "flags", "metrics", "segments"])
      cpSync(join(ROOT, f), join(dir, f), { recursive: true });
    const loaded = await loadWorkspace(dir);
    assert.ok(loaded.value, JSON.stringify(loaded.diagnostics.slice(0, 3)));
    // Publish a ruleset in which new_search is killed; the workspace still has it enabled.
    loaded.value.flags.get("new_search")!.enabled = false;
    const { value: ruleset } = compileRuleset(loaded.value, { version: 1 });
    await new DirectoryTarget(join(dir, ".exp/published")).publish(ruleset, {
      expectedVersion: undefined,
      expectedChecksum: undefined,
    });
    const published = exp(["assign", "new_search", "--unit", "user_42", "--dir", dir, "--format", "json"]);
    assert.equal(published.code, 0, published.stderr);
    assert.equal(JSON.parse(published.stdout).reason, "disabled");
    const desired = exp(["assign", "new_search", "--unit", "user_42", "--dir", dir, "--format", "json", "--desired"]);
    assert.equal(JSON.parse(desired.stdout).reason, "override");
  });
});
