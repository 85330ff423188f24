import assert from "node:assert/strict";
import type { EventEmitter } from "node:events";
import { waitUntil } from "./wait.js";

/** What the tests need of an ink-testing-library instance. */
interface Rendered {
  lastFrame(): string | undefined;
  stdin: Pick<EventEmitter, "listenerCount">;
}

/** A frame without colour: colour is the terminal's business, not the test's. */
export const unstyled = (s: string | undefined) => (s ?? "").replace(/\u001b\[[0-9;]*m/g, "");

/**
 * One turn of the event loop. ink renders on a legacy React root, which runs a render's effects
 * (among them the `useInput` subscription that holds the component's current state) on a later
 * turn than the frame it draws; keys written before that turn reach the handler of the render
 * before. React queued that turn before the frame was drawn, so it runs before this one.
 */
const effectsRun = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Waits until the unstyled frame equals `expected` (a string) or matches it (a RegExp), and the
 * render that drew it has subscribed its input handler; fails with the last frame when it never does.
 */
export async function waitForFrame(ui: Rendered, expected: string | RegExp, timeoutMs = 15_000): Promise<string> {
  let frame = "";
  const shown = await waitUntil(async () => {
    await effectsRun();
    frame = unstyled(ui.lastFrame());
    return typeof expected === "string" ? frame === expected : expected.test(frame);
  }, timeoutMs);
  assert.ok(shown, `the terminal never showed ${String(expected)}; the last frame was:\n${frame}`);
  return frame;
}

/** Waits until the component listens to the keyboard: keys written before that are lost. */
export async function waitForInput(ui: Rendered, timeoutMs = 15_000): Promise<void> {
  const listening = await waitUntil(() => ui.stdin.listenerCount("readable") > 0, timeoutMs);
  assert.ok(listening, "the component never read the keyboard");
  await effectsRun();
}

/** Waits until `condition` holds (an answer reached a callback), failing with `what` when it never does. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  assert.ok(await waitUntil(condition, timeoutMs), `${what} never happened`);
}
