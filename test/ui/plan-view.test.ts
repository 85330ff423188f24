import { test } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { render } from "ink-testing-library";
import { plain } from "../../src/diagnostics/style.js";
import { renderPlanHead } from "../../src/plan/render-text.js";
import { PlanView } from "../../src/ui/plan-view.js";
import { representativePlan } from "../plan/representative-plan.js";
import { waitUntil } from "../helpers/wait.js";

/** ink wraps long lines at the terminal width; the words and their order are what must agree. */
const words = (s: string) => s.split(/\s+/).filter(Boolean).join(" ");

test("the ink plan view shows exactly the words of the text view, drawn from the same view model", async () => {
  const plan = representativePlan();
  const ui = render(createElement(PlanView, { plan }));
  try {
    const expected = words(renderPlanHead(plan, plain));
    assert.ok(await waitUntil(() => words(ui.lastFrame() ?? "") === expected), `ink drew:\n${ui.lastFrame()}`);
    const frame = ui.lastFrame() ?? "";
    assert.match(frame, /rules\.gradual\.steps:/);
    assert.match(frame, /\+ 25% from 2026-11-05T00:00:00Z/);
    assert.match(frame, /country in \["US", "CA"\] and app_version >= semver\("2\.0\.0"\)/);
    assert.match(frame, /variants\.control\.weight: 50% → 80%/);
    assert.doesNotMatch(frame, /…/);
  } finally {
    ui.unmount();
  }
});
