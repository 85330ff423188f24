import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { render } from "ink-testing-library";
import { InitPrompt } from "../../src/ui/init-prompt.js";
import type { InitAnswers } from "../../src/ui/init-prompt.js";
import { checkProjectName } from "../../src/gitops/scaffold.js";
import { unstyled, waitFor, waitForFrame, waitForInput } from "../helpers/ink.js";

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
    await waitForInput(app);
    assert.equal(unstyled(app.lastFrame()), "Project name (lab):");
    app.stdin.write("shop");
    await waitForFrame(app, "Project name (lab): shop");
    app.stdin.write("x");
    await waitForFrame(app, "Project name (lab): shopx");
    app.stdin.write(BACKSPACE);
    await waitForFrame(app, "Project name (lab): shop");
    app.stdin.write(ENTER);
    await waitForFrame(
      app,
      [
        "Project name (lab): shop",
        "Warehouse",
        "❯ duckdb a local file: fine on your machine, not on a CI runner",
        "  postgres reads EXP_PG_URL (a repository secret in CI)",
      ].join("\n"),
    );
    app.stdin.write(DOWN);
    await waitForFrame(app, /^❯ postgres/m);
    app.stdin.write(ENTER);
    await waitFor(() => result.answers !== undefined, "the answers");
    assert.deepEqual(result.answers, { project: "shop", warehouse: "postgres" });
    app.unmount();
  });

  test("Enter keeps the defaults", async () => {
    const { app, result } = setup({ project: "my_lab", warehouse: "postgres" });
    await waitForInput(app);
    app.stdin.write(ENTER);
    await waitForFrame(app, /^❯ postgres/m);
    app.stdin.write(ENTER);
    await waitFor(() => result.answers !== undefined, "the answers");
    assert.deepEqual(result.answers, { project: "my_lab", warehouse: "postgres" });
    app.unmount();
  });

  test("an invalid name is refused with a message until corrected", async () => {
    const { app, result } = setup();
    await waitForInput(app);
    app.stdin.write("Bad Name");
    await waitForFrame(app, "Project name (lab): Bad Name");
    app.stdin.write(ENTER);
    const refused = await waitForFrame(app, /project name "Bad Name" must start with a lowercase letter/);
    assert.doesNotMatch(refused, /Warehouse/);
    for (let i = 0; i < "Bad Name".length; i++) app.stdin.write(BACKSPACE);
    await waitForFrame(app, /^Project name \(lab\):$/m);
    app.stdin.write("good");
    await waitForFrame(app, /^Project name \(lab\): good$/m);
    app.stdin.write(ENTER);
    await waitForFrame(app, /Warehouse/);
    assert.equal(result.answers, undefined);
    app.unmount();
  });

  test("Esc cancels", async () => {
    const { app, result } = setup();
    await waitForInput(app);
    app.stdin.write("\u001b");
    await waitFor(() => result.cancelled, "the cancellation");
    assert.equal(result.answers, undefined);
    app.unmount();
  });
});
