// Weights 40/50 become 44.44%/55.56% of the traffic: validate says so instead of rescaling silently.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { loadWorkspace } from "../../src/workspace/load.js";
import { materializeCase } from "./fixture-tree.js";

test("unequal weights that do not sum to 100 are a warning that shows the shares they become", async () => {
  const dir = materializeCase("ref_rescaled_weights");
  try {
    const r = await loadWorkspace(dir);
    assert.ok(r.value, "a warning does not stop the load");
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.severity, d.message]),
      [
        [
          "EXP3027",
          "warning",
          'the variant weights of experiment "checkout" sum to 90, not 100, so they are rescaled: control 40 → 44.44%, treatment 50 → 55.56%',
        ],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
