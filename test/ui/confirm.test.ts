import { test } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { render } from "ink-testing-library";
import { Confirm } from "../../src/ui/confirm.js";

const tick = () => new Promise((r) => setTimeout(r, 30));

test("the apply prompt shows the summary and question, echoes typing, and reports the answer on Enter", async () => {
  let answer: string | undefined;
  const ui = render(
    createElement(Confirm, {
      summary: "Plan: 1 to create, 2 to update, 0 to delete.",
      question: 'Do you want to publish? Only "yes" will be accepted.',
      onAnswer: (a: string) => (answer = a),
    }),
  );
  await tick();
  assert.match(ui.lastFrame() ?? "", /Plan: 1 to create, 2 to update, 0 to delete\./);
  assert.match(ui.lastFrame() ?? "", /Only "yes" will be accepted/);
  for (const ch of "yez") ui.stdin.write(ch);
  await tick();
  ui.stdin.write("\u007f"); // backspace
  await tick();
  ui.stdin.write("s");
  await tick();
  assert.match(ui.lastFrame() ?? "", /Enter a value: yes/);
  ui.stdin.write("\r");
  await tick();
  assert.equal(answer, "yes");
  ui.unmount();
});

test("anything but yes is an answer too (the caller refuses it)", async () => {
  let answer: string | undefined;
  const ui = render(createElement(Confirm, { summary: "s", question: "q", onAnswer: (a: string) => (answer = a) }));
  await tick();
  for (const ch of "no") ui.stdin.write(ch);
  await tick();
  ui.stdin.write("\r");
  await tick();
  assert.equal(answer, "no");
  ui.unmount();
});

test("an answer typed ahead together with Enter in one chunk is accepted", async () => {
  let answer: string | undefined;
  const ui = render(createElement(Confirm, { summary: "s", question: "q", onAnswer: (a: string) => (answer = a) }));
  await tick();
  ui.stdin.write("yes\r");
  await tick();
  assert.equal(answer, "yes");
  ui.unmount();
});
