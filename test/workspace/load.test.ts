import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { decodeSource, firstInvalidUtf8 } from "../../src/workspace/read.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { findWorkspaceRoot } from "../../src/workspace/root.js";
import { factorial } from "../../src/workspace/build/experiment.js";
import { normalizeTimestamp } from "../../src/workspace/build/values.js";
import { REPO } from "./fuzz-support.js";
import { workspaceFromTree } from "./fixture-tree.js";

describe("loading the example workspace into the typed model", async () => {
  const { value: ws, diagnostics } = await loadWorkspace(REPO);

  test("no diagnostics and every file kind present", () => {
    assert.deepEqual(diagnostics, []);
    assert.ok(ws);
    assert.deepEqual(
      [ws.experiments.size, ws.metrics.size, ws.flags.size, ws.segments.size, ws.layers.size, ws.holdouts.size],
      [8, 11, 5, 4, 2, 1],
    );
  });

  test("defaults, shares and durations", () => {
    const e = ws!.experiments.get("checkout_redesign")!;
    assert.equal(e.traffic, 0.5);
    assert.equal(e.power.mde, 0.03);
    assert.equal(e.schedule.start, "2026-11-01T00:00:00.000Z");
    assert.equal(e.holdout, true);
    const draft = ws!.experiments.get("free_shipping_threshold")!;
    assert.deepEqual(
      [draft.type, draft.phase, draft.unit, draft.traffic, draft.exposure, draft.control, draft.schedule],
      ["ab", 1, "user", 1, "on_assignment", "control", {}],
    );
    assert.deepEqual(
      draft.variants.map((v) => v.weight),
      [1, 1],
    );
    assert.equal(ws!.experiments.get("dark_mode_trial")!.holdout, false);
    assert.deepEqual(ws!.metrics.get("searches_per_session")!.window, { seconds: 7 * 86400, text: "7d" });
    assert.deepEqual(ws!.metrics.get("page_views")!.window, { seconds: 14 * 86400, text: "14d" });
    assert.equal(ws!.metrics.get("revenue_per_user")!.guardrail!.max_regression, 0.01);
    assert.equal(ws!.holdouts.get("global_2026")!.traffic, 0.02);
  });

  test("multivariate factorial, interleaving rankers, bandit settings", () => {
    const mv = ws!.experiments.get("checkout_button_style")!;
    assert.deepEqual(
      mv.variants.map((v) => v.key),
      ["green_small", "green_large", "blue_small", "blue_large"],
    );
    assert.deepEqual(factorial({ a: ["x", "y"], b: ["1"], c: ["p", "q"] }), ["x_1_p", "x_1_q", "y_1_p", "y_1_q"]);
    const il = ws!.experiments.get("recs_interleaving")!;
    assert.deepEqual([il.variants.map((v) => v.key), il.interleaving_method], [["collab_filter", "two_tower"], "team_draft"]);
    assert.deepEqual(ws!.experiments.get("homepage_banner_bandit")!.bandit, {
      algorithm: "thompson",
      metric: "purchase_conversion",
      min_share: 0.05,
      epoch: 1,
    });
  });

  test("flags: boolean variants, YAML 1.2 on/off strings, prerequisites, rules", () => {
    const idx = ws!.flags.get("search_index_v2")!;
    assert.deepEqual(idx.variants, [
      { key: "on", value: true },
      { key: "off", value: false },
    ]);
    assert.equal(idx.default, "on");
    const ns = ws!.flags.get("new_search")!;
    // The model's maps have no prototype (a user's name is only a name): compare their entries.
    assert.deepEqual({ ...ns.overrides }, { on: ["user_42", "user_77"] });
    assert.deepEqual(
      ns.rules.map((r) => r.kind),
      ["serve", "rollout", "experiment"],
    );
    assert.deepEqual(ws!.flags.get("recs_count")!.prerequisites, [{ flag: "checkout_layout", variant: "one_page" }]);
    const rollout = ws!.flags.get("holiday_banner")!.rules[0]!;
    assert.ok(rollout.kind === "rollout" && rollout.holdout === false);
  });

  test("metric kinds come from the expression checks", () => {
    const kinds = Object.fromEntries([...ws!.metrics.values()].map((m) => [m.key, m.kind]));
    assert.deepEqual(
      [
        kinds.purchase_conversion,
        kinds.revenue_per_user,
        kinds.page_views,
        kinds.avg_order_value,
        kinds.top5_ctr,
        kinds.p95_page_load,
        kinds.d7_retention,
      ],
      ["conversion", "sum", "count", "mean", "ratio", "quantile", "retention"],
    );
    assert.equal(ws!.metrics.get("p95_page_load")!.quantile, 0.95);
  });

  test("origins point at keys and values", () => {
    const o = ws!.experiments.get("checkout_redesign")!.origin;
    assert.deepEqual([o.keys["variants.one_page"]!.line, o.keys["variants.one_page"]!.column], [17, 3]);
    assert.deepEqual([o.values["traffic"]!.line, o.values["traffic"]!.column], [11, 10]);
  });
});

describe("files, roots and values", () => {
  test("findWorkspaceRoot walks upward", () => {
    const dir = workspaceFromTree({});
    try {
      mkdirSync(join(dir, "experiments/deep/er"), { recursive: true });
      assert.equal(findWorkspaceRoot(join(dir, "experiments/deep/er")), dir);
      assert.equal(findWorkspaceRoot("/"), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("strict UTF-8 with the byte offset of the first bad byte", () => {
    assert.equal(firstInvalidUtf8(Buffer.from("héllo")), 6);
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc3, 0x28])), 1);
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80])), 1); // surrogate
    assert.equal(firstInvalidUtf8(Buffer.from([0xe2, 0x82])), 0); // truncated
    const r = decodeSource(Buffer.from([0x61, 0x0a, 0x62, 0xff]), "x.yaml");
    assert.deepEqual([r.diagnostics[0]!.code, r.diagnostics[0]!.span!.line, r.diagnostics[0]!.span!.column], ["EXP1004", 2, 2]);
    assert.match(r.diagnostics[0]!.message, /byte offset 3/);
  });

  test("a 10 MB file is refused by size without being parsed", async () => {
    const dir = workspaceFromTree({ "metrics/huge.yaml": Buffer.alloc(10 * 1024 * 1024, "a: b\n") });
    try {
      const t = performance.now();
      const r = await loadWorkspace(dir);
      assert.ok(performance.now() - t < 1500);
      assert.deepEqual(
        r.diagnostics.map((d) => d.code),
        ["EXP1003"],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("timestamps", () => {
    assert.equal(normalizeTimestamp("2026-12-01"), "2026-12-01T00:00:00.000Z");
    assert.equal(normalizeTimestamp("2026-12-01T01:00:00+01:00"), "2026-12-01T00:00:00.000Z");
    assert.equal(normalizeTimestamp("2026-02-29T00:00:00Z"), undefined);
    assert.equal(normalizeTimestamp("2026-12-01T24:00:00Z"), undefined);
  });

  test("a file with errors is left out of the model; the rest loads", async () => {
    const dir = workspaceFromTree({ "metrics/revenue.yaml": "metric: revenue\nexpr: sum(purchase.revenue)\ncolour: red\n" });
    try {
      const r = await loadWorkspace(dir);
      assert.ok(r.value);
      assert.deepEqual([...r.value.metrics.keys()].sort(), ["conversion", "pages_per_session"]);
      assert.ok(r.value.experiments.has("checkout"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
