import { test } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { render } from "ink-testing-library";
import { Confirm } from "../../src/ui/confirm.js";
import { waitFor, waitForFrame, waitForInput } from "../helpers/ink.js";

function prompt(summary = "s", question = "q") {
  const result: { answer?: string } = {};
  const ui = render(createElement(Confirm, { summary, question, onAnswer: (a: string) => (result.answer = a) }));
  return { ui, result };
}

test("the apply prompt shows the summary and question, echoes typing, and reports the answer on Enter", async () => {
  const { ui, result } = prompt("Plan: 1 to create, 2 to update, 0 to delete.", 'Do you want to publish? Only "yes" will be accepted.');
  await waitForInput(ui);
  assert.match(ui.lastFrame() ?? "", /Plan: 1 to create, 2 to update, 0 to delete\./);
  assert.match(ui.lastFrame() ?? "", /Only "yes" will be accepted/);
  for (const ch of "yez") ui.stdin.write(ch);
  await waitForFrame(ui, /Enter a value: yez/);
  ui.stdin.write("\u007f"); // backspace
  await waitForFrame(ui, /Enter a value: ye█/);
  ui.stdin.write("s");
  await waitForFrame(ui, /Enter a value: yes/);
  ui.stdin.write("\r");
  await waitFor(() => result.answer !== undefined, "the answer");
  assert.equal(result.answer, "yes");
  ui.unmount();
});

test("anything but yes is an answer too (the caller refuses it)", async () => {
  const { ui, result } = prompt();
  await waitForInput(ui);
  for (const ch of "no") ui.stdin.write(ch);
  await waitForFrame(ui, /Enter a value: no/);
  ui.stdin.write("\r");
  await waitFor(() => result.answer !== undefined, "the answer");
  assert.equal(result.answer, "no");
  ui.unmount();
});

test("an answer typed ahead together with Enter in one chunk is accepted", async () => {
  const { ui, result } = prompt();
  await waitForInput(ui);
  ui.stdin.write("yes\r");
  await waitFor(() => result.answer !== undefined, "the answer");
  assert.equal(result.answer, "yes");
  ui.unmount();
});
