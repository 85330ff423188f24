import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { waitUntil } from "../helpers/wait.js";
// ink draws only final frames when CI is set; this file tests the interactive terminal, so it runs without it.
delete process.env.CI;
const { createProgress } = await import("../../src/ui/progress.js");

function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text(): string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { columns: number };
  s.isTTY = isTTY;
  s.columns = 100;
  let out = "";
  (s as unknown as PassThrough).on("data", (c: Buffer) => (out += c.toString()));
  return { stream: s, text: () => out };
}

test("without a TTY, progress is plain lines with the elapsed time", () => {
  const c = capture(false);
  const p = createProgress(c.stream);
  p.start("analysing checkout_redesign");
  p.done("wrote reports/checkout_redesign/2026-12-14.md");
  p.start("analysing search_ranker_v2");
  p.fail("the warehouse has no table events");
  p.close();
  const lines = c.text().trim().split("\n");
  assert.equal(lines[0], "… analysing checkout_redesign");
  assert.match(lines[1]!, /^✔ analysing checkout_redesign: wrote reports\/checkout_redesign\/2026-12-14\.md \(\d+\.\d s\)$/);
  assert.match(lines[3]!, /^✘ analysing search_ranker_v2: the warehouse has no table events \(\d+\.\d s\)$/);
  assert.doesNotMatch(c.text(), /\u001b\[/, "no escape codes in plain output");
});

test("on a TTY, ink draws a spinner with the elapsed time, then a finished line", async () => {
  const c = capture(true);
  const p = createProgress(c.stream);
  const plain = () => c.text().replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
  p.start("analysing checkout_redesign");
  assert.ok(await waitUntil(() => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] analysing checkout_redesign \d+\.\ds/.test(plain())), `no spinner in:\n${plain()}`);
  p.done("done");
  assert.ok(await waitUntil(() => /✔ analysing checkout_redesign: done \(\d+\.\d s\)/.test(plain())), `no finished line in:\n${plain()}`);
  p.close();
});
