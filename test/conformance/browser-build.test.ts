import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { build } from "esbuild";
import { rulesetChecksum } from "../../src/ruleset/checksum.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import type { BrowserClient, BrowserClientOptions } from "../../src/runtime/browser.js";
import { waitUntil } from "../helpers/wait.js";
import { CASES_FILE, type Case } from "./generate.js";

/**
 * The browser build ("<package>/evaluator", src/runtime/browser.ts): it bundles with esbuild for the
 * browser with nothing from Node or npm, stays within its size budget, reproduces every conformance
 * case in a context with only ECMAScript globals, and its fetch client keeps the last good ruleset.
 */
const BUDGET = {
  /** The evaluator alone, minified (about 12.5 KB when this budget was set). */
  evaluator: 14 * 1024,
  /**
   * The whole entry, minified and gzipped (about 18 KB and 7 KB when set; 20.3 KB and 8.0 KB once the
   * stream poller, split-URL redirect and session units were in).
   */
  entry: 21 * 1024,
  entryGzip: 8.5 * 1024,
};

const cases = JSON.parse(readFileSync(CASES_FILE, "utf8"));

const REPO = new URL("../../", import.meta.url).pathname;

/** Bundles a source file (a relative path) or a package export path ("exp-toolchain/…", built in dist/). */
async function bundle(entry: string, minify: boolean): Promise<string> {
  const out = await build({
    ...(entry.startsWith(".")
      ? { entryPoints: [new URL(entry, import.meta.url).pathname] }
      : { stdin: { contents: `export * from ${JSON.stringify(entry)};`, resolveDir: REPO, loader: "js" as const } }),
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "expBrowser",
    minify,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.entries(out.metafile!.inputs);
  for (const [file, input] of inputs) {
    assert.ok(!file.startsWith("node:") && !file.includes("node_modules"), `the browser build pulls in ${file}`);
    assert.ok(!/src\/ruleset\/(checksum|verify)\.ts$/.test(file), `the browser build pulls in Node-only ${file}`);
    for (const imp of input.imports) assert.ok(!imp.path.startsWith("node:"), `${file} imports ${imp.path}`);
  }
  const code = out.outputFiles[0]!.text;
  assert.doesNotMatch(code, /require\(|process\.|Buffer/);
  return code;
}

test("the browser entry and the evaluator bundle with no Node built-ins, within the size budget", async (t) => {
  const evaluator = await bundle("../../src/runtime/evaluator.ts", true);
  const entry = await bundle("../../src/runtime/browser.ts", true);
  const gzip = gzipSync(entry).length;
  t.diagnostic(`evaluator ${evaluator.length} B, entry ${entry.length} B (${gzip} B gzipped)`);
  assert.ok(evaluator.length <= BUDGET.evaluator, `the evaluator is ${evaluator.length} B minified, over its ${BUDGET.evaluator} B budget`);
  assert.ok(entry.length <= BUDGET.entry, `the browser entry is ${entry.length} B minified, over its ${BUDGET.entry} B budget`);
  assert.ok(gzip <= BUDGET.entryGzip, `the browser entry is ${gzip} B gzipped, over its ${BUDGET.entryGzip} B budget`);
});

test("the package export path exp-toolchain/evaluator bundles for the browser from the built package (npm run build)", async () => {
  const code = await bundle("exp-toolchain/evaluator", true);
  assert.ok(code.length <= BUDGET.entry, `exp-toolchain/evaluator is ${code.length} B minified, over its ${BUDGET.entry} B budget`);
  const sandbox: Record<string, unknown> = { ruleset: JSON.stringify(cases.rulesets.ladder) };
  runInNewContext(
    `${code}\nvar value = expBrowser.createEvaluator(JSON.parse(ruleset)).evaluate("overridden", "user_42").reason;`,
    sandbox,
  );
  assert.equal(sandbox.value, "override");
});

test("the bundled browser entry reproduces every conformance case in a context with only ECMAScript globals", async () => {
  const code = await bundle("../../src/runtime/browser.ts", true);
  const sandbox: Record<string, unknown> = { casesJson: JSON.stringify(cases) };
  runInNewContext(
    `${code}
    var all = JSON.parse(casesJson), evaluators = {}, out = [];
    for (var name in all.rulesets) evaluators[name] = expBrowser.createEvaluator(all.rulesets[name]);
    for (var i = 0; i < all.cases.length; i++) {
      var c = all.cases[i], ev = evaluators[c.ruleset];
      var got = c.call === "assign" ? ev.assign(c.key, c.unit, c.attributes, c.at)
        : c.call === "evaluate" ? ev.evaluate(c.key, c.unit, c.attributes, c.at) : ev.evaluateAll(c.unit, c.attributes, c.at);
      out.push(JSON.stringify(got));
    }
    var results = JSON.stringify(out);`,
    sandbox,
  );
  const results = JSON.parse(sandbox.results as string) as string[];
  (cases.cases as Case[]).forEach((c, i) => assert.deepEqual(JSON.parse(results[i]!), c.expected, c.id));
});

test("the bundled browser entry's redirect helper reproduces every redirect case with the browser's URL classes", async () => {
  const code = await bundle("../../src/runtime/browser.ts", true);
  const sandbox: Record<string, unknown> = { casesJson: JSON.stringify(cases.redirects), URL, URLSearchParams };
  runInNewContext(
    `${code}
    var results = JSON.stringify(JSON.parse(casesJson).map(function (r) { return expBrowser.redirectUrl(r, r.currentUrl); }));`,
    sandbox,
  );
  assert.deepEqual(
    JSON.parse(sandbox.results as string),
    cases.redirects.map((r: { expected: string | null }) => r.expected),
  );
});

/** A fake exp server for the fetch client: ETag and If-None-Match, a settable body and status. */
function fakeServer(first: Ruleset) {
  const state = { body: JSON.stringify(first), status: 200, requests: [] as Record<string, string>[] };
  const fetchFn = (async (url: string, init?: { headers?: Record<string, string> }) => {
    state.requests.push({ url, ...(init?.headers ?? {}) });
    if (state.status === 0) throw new TypeError("network down");
    const etag = `"${createHash("sha256").update(state.body).digest("hex")}"`;
    if (state.status !== 200) return new Response("no", { status: state.status });
    if (init?.headers?.["if-none-match"] === etag) return new Response(null, { status: 304 });
    return new Response(state.body, { status: 200, headers: { etag } });
  }) as unknown as typeof fetch;
  return { state, fetchFn };
}

function version(n: number, defaultVariant: "on" | "off"): Ruleset {
  const r = structuredClone(cases.rulesets.ladder) as Ruleset;
  r.version = n;
  r.flags.base_on!.default = defaultVariant;
  r.checksum = rulesetChecksum(r);
  return r;
}

test("the bundled fetch client verifies with WebCrypto, polls with If-None-Match and keeps the last good ruleset", async (t) => {
  const code = await bundle("../../src/runtime/browser.ts", false);
  const sandbox: Record<string, unknown> = { crypto: globalThis.crypto, TextEncoder, setInterval, clearInterval };
  runInNewContext(code, sandbox);
  const api = sandbox.expBrowser as { createBrowserClient(o: BrowserClientOptions): Promise<BrowserClient> };
  const { state, fetchFn } = fakeServer(version(1, "on"));
  const errors: string[][] = [];
  const client = await api.createBrowserClient({
    url: "https://exp.example/",
    fetch: fetchFn,
    pollIntervalMs: 0,
    headers: { authorization: "Bearer t" },
    now: () => Date.parse("2026-12-10T00:00:00Z"),
    onError: (d) => errors.push(Array.from(d, (x) => x.code)),
  });
  t.after(() => client.close());
  assert.equal(state.requests[0]!.url, "https://exp.example/v1/ruleset");
  assert.equal(state.requests[0]!.authorization, "Bearer t");
  assert.equal(client.evaluate("base_on", "u").value, true);
  assert.equal(await client.refresh(), false);
  assert.ok(state.requests[1]!["if-none-match"], "the second request is conditional");

  const tampered = { ...version(2, "off"), checksum: "0".repeat(64) };
  state.body = JSON.stringify(tampered);
  assert.equal(await client.refresh(), false);
  state.status = 500;
  assert.equal(await client.refresh(), false);
  state.status = 0;
  assert.equal(await client.refresh(), false);
  state.status = 200;
  state.body = "{";
  assert.equal(await client.refresh(), false);
  assert.deepEqual(errors, [["EXP5011"], ["EXP5013"], ["EXP5013"], ["EXP5012"]]);
  assert.equal(client.ruleset.version, 1);
  assert.equal(client.evaluate("base_on", "u").value, true);

  state.body = JSON.stringify(version(3, "off"));
  assert.equal(await client.refresh(), true);
  assert.equal(client.lastError, undefined);
  assert.equal(client.evaluate("base_on", "u").value, false);
});

test("the fetch client polls on its own until closed, and refuses a first ruleset it cannot verify", async (t) => {
  const { createBrowserClient, RulesetRejected } = await import("../../src/runtime/browser.js");
  const { state, fetchFn } = fakeServer(version(1, "on"));
  const updates: number[] = [];
  const client = await createBrowserClient({
    url: "https://exp.example/v1/ruleset",
    fetch: fetchFn,
    pollIntervalMs: 5,
    onUpdate: (r) => updates.push(r.version),
  });
  t.after(() => client.close());
  state.body = JSON.stringify(version(2, "off"));
  assert.ok(await waitUntil(() => updates.length > 0), "polling never installed version 2");
  assert.deepEqual(updates, [2]);
  client.close();

  const bad = fakeServer({ ...version(1, "on"), schemaVersion: 2 } as Ruleset);
  await assert.rejects(createBrowserClient({ url: "https://exp.example", fetch: bad.fetchFn, pollIntervalMs: 0 }), (err: unknown) => {
    assert.ok(err instanceof RulesetRejected);
    assert.equal(err.diagnostics[0]!.code, "EXP5010");
    return true;
  });
});
