// click_event / item_property of interleaving experiments: declared in exp.yaml, or a file:line:col diagnostic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { loadWorkspace } from "../../src/workspace/load.js";
import { workspaceFromTree } from "./fixture-tree.js";

const EXPERIMENT = (clicks: string) => `experiment: recs
type: interleaving
status: running
unit: session
rankers: [collab_filter, two_tower]
method: balanced
${clicks}
metrics:
  primary: [conversion]
`;

async function diagnosticsOf(clicks: string) {
  const dir = workspaceFromTree({ "experiments/recs.yaml": EXPERIMENT(clicks) });
  try {
    const r = await loadWorkspace(dir);
    return r.diagnostics
      .filter((d) => d.code === "EXP3037" || d.code === "EXP3038")
      .map((d) => [d.code, d.message, d.suggestion, d.span?.line, d.span?.column]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("declared click event and item property: no diagnostic, and the model carries them", async () => {
  assert.deepEqual(await diagnosticsOf("click_event: impression\nitem_property: position"), []);
});

test("an undeclared click event is an error at its value, with a did-you-mean", async () => {
  assert.deepEqual(await diagnosticsOf("click_event: clik\nitem_property: position"), [
    ["EXP3037", 'unknown event "clik"; declare it under "events" in exp.yaml or name a declared event', 'did you mean "click"?', 7, 14],
  ]);
});

test("an undeclared item property, or none, is an error", async () => {
  assert.deepEqual(await diagnosticsOf("click_event: click\nitem_property: positon"), [
    [
      "EXP3037",
      'event "click" declares no property "positon"; declare it in exp.yaml (item_id: string) or name a declared property',
      'did you mean "position"?',
      8,
      16,
    ],
  ]);
  const [missing] = await diagnosticsOf("click_event: click");
  assert.equal(missing?.[0], "EXP3037");
  assert.match(String(missing?.[1]), /"click_event" needs "item_property"/);
});

test("without a click event the experiment is only warned about", async () => {
  const [w] = await diagnosticsOf("");
  assert.deepEqual([w?.[0], w?.[3]], ["EXP3038", 5]);
});
