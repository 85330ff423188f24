import { test } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { render } from "ink-testing-library";
import { renderOne } from "../../src/diagnostics/render.js";
import { plain } from "../../src/diagnostics/style.js";
import { renderPlanHead, renderPlanTail } from "../../src/plan/render-text.js";
import { Confirm } from "../../src/ui/confirm.js";
import { waitUntil } from "../helpers/wait.js";
import { representativePlan } from "../plan/representative-plan.js";

type Ui = ReturnType<typeof render>;

/**
 * The last frame ink drew with content. Under CI=true ink writes its last non-static output once more
 * at unmount (an empty line in the test renderer's debug mode), so the answered screen is the last
 * frame that is not blank.
 */
function lastDrawn(ui: Ui): string {
  return [...ui.frames].reverse().find((f) => f.trim() !== "") ?? "";
}

/** Waits until the last frame matches, so a slow machine delays the test instead of failing it. */
async function shows(ui: Ui, pattern: RegExp): Promise<void> {
  assert.ok(await waitUntil(() => pattern.test(ui.lastFrame() ?? "")), `expected ${pattern} in:\n${ui.lastFrame()}`);
}

/** Types one key and waits until ink has drawn it. */
async function type(ui: Ui, keys: string, echo: RegExp): Promise<void> {
  ui.stdin.write(keys);
  await shows(ui, echo);
}

function ask(props: Partial<Parameters<typeof Confirm>[0]> = {}): { ui: Ui; answer: () => string | undefined } {
  let answer: string | undefined;
  const ui = render(createElement(Confirm, { summary: "s", question: "q", onAnswer: (a: string) => (answer = a), ...props }));
  return { ui, answer: () => answer };
}

test("the apply prompt shows the summary and question, echoes typing, and reports the answer on Enter", async () => {
  const { ui, answer } = ask({
    summary: "Plan: 1 to create, 2 to update, 0 to delete.",
    question: 'Do you want to publish? Only "yes" will be accepted.',
  });
  try {
    await shows(ui, /Plan: 1 to create, 2 to update, 0 to delete\./);
    await shows(ui, /Only "yes" will be accepted/);
    await type(ui, "y", /Enter a value: y█/);
    await type(ui, "e", /Enter a value: ye█/);
    await type(ui, "z", /Enter a value: yez█/);
    await type(ui, "\u007f", /Enter a value: ye█/); // backspace
    await type(ui, "s", /Enter a value: yes█/);
    ui.stdin.write("\r");
    assert.ok(await waitUntil(() => answer() !== undefined), "Enter submits");
    assert.equal(answer(), "yes");
  } finally {
    ui.unmount();
  }
});

test("anything but yes is an answer too (the caller refuses it)", async () => {
  const { ui, answer } = ask();
  try {
    await shows(ui, /Enter a value: █/);
    await type(ui, "n", /Enter a value: n█/);
    await type(ui, "o", /Enter a value: no█/);
    ui.stdin.write("\r");
    assert.ok(await waitUntil(() => answer() !== undefined), "Enter submits");
    assert.equal(answer(), "no");
    assert.ok(await waitUntil(() => /Enter a value: no$/m.test(lastDrawn(ui))), `expected the answer without cursor in:\n${lastDrawn(ui)}`);
  } finally {
    ui.unmount();
  }
});

test("an answer typed ahead together with Enter in one chunk is accepted", async () => {
  const { ui, answer } = ask();
  try {
    await shows(ui, /Enter a value: █/);
    ui.stdin.write("yes\r");
    assert.ok(await waitUntil(() => answer() !== undefined), "the chunk submits");
    assert.equal(answer(), "yes");
    // The screen left behind shows what was answered, without the cursor.
    assert.ok(
      await waitUntil(() => /Enter a value: yes$/m.test(lastDrawn(ui))),
      `expected the answer without cursor in:\n${lastDrawn(ui)}`,
    );
  } finally {
    ui.unmount();
  }
});

test("the screen that asks for yes shows exactly what would change: the plan view, its diagnostics and summary, then the question", async () => {
  const plan = representativePlan();
  const details = renderPlanTail(plan, plain, (d) => renderOne(d, () => undefined, plain));
  const { ui } = ask({
    plan,
    details,
    summary: "Do you want to publish these changes?",
    question: 'Only "yes" will be accepted to approve.',
  });
  try {
    await shows(ui, /Enter a value: █/);
    const words = (s: string) => s.split(/\s+/).filter(Boolean).join(" ");
    const frame = words(ui.lastFrame() ?? "");
    const expected = words(
      `${renderPlanHead(plan, plain)}${details}Do you want to publish these changes? Only "yes" will be accepted to approve.`,
    );
    assert.equal(frame.slice(0, expected.length), expected);
    assert.match(frame, /~ rules\.gradual\.steps: 10% from 2026-11-01T00:00:00Z \+ 25% from 2026-11-05T00:00:00Z/);
  } finally {
    ui.unmount();
  }
});
