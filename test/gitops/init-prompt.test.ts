import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { render } from "ink-testing-library";
import { InitPrompt } from "../../src/ui/init-prompt.js";
import type { InitAnswers } from "../../src/ui/init-prompt.js";
import { checkProjectName } from "../../src/gitops/scaffold.js";

const tick = () => new Promise((r) => setTimeout(r, 30));
// Frames are compared unstyled: colour is the terminal's business, not the test's.
const unstyled = (s: string | undefined) => (s ?? "").replace(/\u001b\[[0-9;]*m/g, "");
const ENTER = "\r";
const DOWN = "\u001b[B";
const BACKSPACE = "\u007f";

function setup(defaults: InitAnswers = { project: "lab", warehouse: "duckdb" }) {
  const result: { answers?: InitAnswers; cancelled: boolean } = { cancelled: false };
  const app = render(
    createElement(InitPrompt, {
      defaults,
      checkProject: checkProjectName,
      onSubmit: (a: InitAnswers) => (result.answers = a),
      onCancel: () => (result.cancelled = true),
    }),
  );
  return { app, result };
}

describe("exp init prompt (ink)", () => {
  test("types a project name, picks postgres", async () => {
    const { app, result } = setup();
    await tick();
    assert.equal(unstyled(app.lastFrame()), "Project name (lab):");
    app.stdin.write("shop");
    await tick();
    app.stdin.write("x");
    await tick();
    app.stdin.write(BACKSPACE);
    await tick();
    assert.equal(unstyled(app.lastFrame()), "Project name (lab): shop");
    app.stdin.write(ENTER);
    await tick();
    assert.equal(
      unstyled(app.lastFrame()),
      [
        "Project name (lab): shop",
        "Warehouse",
        "❯ duckdb a local file, nothing to run (good for a start)",
        "  postgres reads EXP_PG_URL from the environment",
      ].join("\n"),
    );
    app.stdin.write(DOWN);
    await tick();
    assert.match(unstyled(app.lastFrame()), /^❯ postgres/m);
    app.stdin.write(ENTER);
    await tick();
    assert.deepEqual(result.answers, { project: "shop", warehouse: "postgres" });
    app.unmount();
  });

  test("Enter keeps the defaults", async () => {
    const { app, result } = setup({ project: "my_lab", warehouse: "postgres" });
    await tick();
    app.stdin.write(ENTER);
    await tick();
    assert.match(unstyled(app.lastFrame()), /^❯ postgres/m);
    app.stdin.write(ENTER);
    await tick();
    assert.deepEqual(result.answers, { project: "my_lab", warehouse: "postgres" });
    app.unmount();
  });

  test("an invalid name is refused with a message until corrected", async () => {
    const { app, result } = setup();
    await tick();
    app.stdin.write("Bad Name");
    await tick();
    app.stdin.write(ENTER);
    await tick();
    assert.match(unstyled(app.lastFrame()), /project name "Bad Name" must start with a lowercase letter/);
    assert.doesNotMatch(unstyled(app.lastFrame()), /Warehouse/);
    for (let i = 0; i < "Bad Name".length; i++) app.stdin.write(BACKSPACE);
    await tick();
    app.stdin.write("good");
    await tick();
    app.stdin.write(ENTER);
    await tick();
    assert.match(unstyled(app.lastFrame()), /Warehouse/);
    assert.equal(result.answers, undefined);
    app.unmount();
  });

  test("Esc cancels", async () => {
    const { app, result } = setup();
    await tick();
    app.stdin.write("\u001b");
    await tick();
    assert.equal(result.cancelled, true);
    assert.equal(result.answers, undefined);
    app.unmount();
  });
});
