import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { baseArgs, chromiumPath } from "./chromium.js";

const KEYS = {
  Enter: { key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r" },
  Tab: { key: "Tab", code: "Tab", windowsVirtualKeyCode: 9 },
};

/** A page open in headless Chromium, driven over the DevTools protocol. */
export interface ChromiumPage {
  /** Evaluates `expression` in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Types `text` into the focused element, as the keyboard would. */
  type(text: string): Promise<void>;
  /** Presses and releases a key: "Enter" or "Tab". */
  press(key: "Enter" | "Tab"): Promise<void>;
  /** Emulates a media feature, such as `prefers-reduced-motion: reduce`. */
  emulateMedia(name: string, value: string): Promise<void>;
  /** A PNG of the whole page. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Opens `url` in headless Chromium and keeps it open, for pages that change after they load (a
 * live stream) where `--dump-dom` takes one picture. The DevTools protocol runs over a pipe
 * (`--remote-debugging-pipe`: fd 3 in, fd 4 out, NUL-separated JSON), so no port is opened and
 * no package is needed.
 */
export async function openPage(url: string, size = { width: 1200, height: 900 }): Promise<ChromiumPage> {
  const child = spawn(chromiumPath(), [...baseArgs(), "--remote-debugging-pipe", "about:blank"], {
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()).length > 20_000 && (stderr = stderr.slice(-10_000)));
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let buffered = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", (code) => {
    for (const p of pending.values()) p.reject(new Error(`Chromium exited (${code}) with a command pending: ${stderr.slice(-2000)}`));
    pending.clear();
  });
  fromBrowser.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    let end: number;
    while ((end = buffered.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffered.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      buffered = buffered.slice(end + 1);
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiting) continue;
      pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(`DevTools: ${message.error.message}`));
      else waiting.resolve(message.result ?? {});
    }
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });

  const { targetId } = (await send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
  const { sessionId } = (await send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
  const page = (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
  await page("Emulation.setDeviceMetricsOverride", { width: size.width, height: size.height, deviceScaleFactor: 1, mobile: false });
  await page("Page.enable");
  await page("Page.navigate", { url });

  return {
    async evaluate<T>(expression: string): Promise<T> {
      const r = (await page("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true })) as {
        result: { value?: unknown };
        exceptionDetails?: { text: string; exception?: { description?: string } };
      };
      if (r.exceptionDetails) throw new Error(`the page threw: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value as T;
    },
    async type(text: string): Promise<void> {
      await page("Input.insertText", { text });
    },
    async press(key: "Enter" | "Tab"): Promise<void> {
      const k = KEYS[key];
      await page("Input.dispatchKeyEvent", { type: "keyDown", ...k });
      await page("Input.dispatchKeyEvent", { type: "keyUp", key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode });
    },
    async emulateMedia(name: string, value: string): Promise<void> {
      await page("Emulation.setEmulatedMedia", { features: [{ name, value }] });
    },
    async screenshot(): Promise<Buffer> {
      const r = (await page("Page.captureScreenshot", { format: "png", captureBeyondViewport: true })) as { data: string };
      return Buffer.from(r.data, "base64");
    },
    async close(): Promise<void> {
      await send("Browser.close").catch(() => undefined);
      await exited;
    },
  };
}
