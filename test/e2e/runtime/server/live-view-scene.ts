import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256Hex } from "../../../../src/runtime/server/auth.js";
import type { LiveGuard, LiveMetricRow } from "../../../../src/runtime/server/live-view/providers.js";
import { serverLog } from "../../../../src/runtime/server/server-log.js";
import { startServer, type RunningServer } from "../../../../src/runtime/server/server.js";
import type { ChromiumPage } from "../../../helpers/chromium-page.js";
import { waitUntil } from "../../../helpers/wait.js";
import { smallRuleset, storeOptions } from "../../../runtime/server/fixture.js";

export const SCENE_KEYS = { analyst: "k-analyst-live-123", admin: "k-admin-live-456", client: "k-client-live-789" };

/**
 * A server with something to show on its live view: exposures planted through assignments over a
 * minute of its clock, live statistics for a primary metric and a guardrail, and a guard the caller
 * can breach. Shared by the Chromium test and the script that takes docs/live-view.png.
 */
export interface LiveViewScene {
  server: RunningServer;
  /** Distinct units planted per variant of checkout_redesign. */
  planted: Record<string, number>;
  /** Marks the guard breached (the guard provider reports it from then on). */
  breach(): void;
  /** Moves the server's clock on. */
  advance(ms: number): void;
  close(): Promise<void>;
}

const SAMPLE_EVERY_MS = 10_000;

export async function liveViewScene(): Promise<LiveViewScene> {
  const dir = mkdtempSync(join(tmpdir(), "exp-live-view-scene-"));
  let now = Date.parse("2026-12-06T12:00:00Z");
  const guard: LiveGuard = {
    target: "experiment",
    key: "checkout_redesign",
    state: "watching",
    action: "pause",
    metrics: ["checkout_errors"],
  };
  const server = await startServer(
    {
      ...storeOptions(join(dir, "published")),
      dataDir: join(dir, "data"),
      keys: [
        { name: "analyst", sha256: sha256Hex(SCENE_KEYS.analyst), scopes: ["reports:read"] },
        { name: "admin", sha256: sha256Hex(SCENE_KEYS.admin), scopes: ["ruleset:write"] },
        { name: "client", sha256: sha256Hex(SCENE_KEYS.client), scopes: ["evaluate"] },
      ],
      tokenSecret: randomBytes(32),
      clock: () => now,
      log: serverLog(undefined, undefined, "warn"),
      liveView: {
        providers: { metrics: () => metricRows(guard.state === "breached"), guards: () => [guard] },
        pushEveryMs: 100,
        sampleEveryMs: SAMPLE_EVERY_MS,
      },
    },
    0,
  );
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const put = await fetch(`${server.url}/v1/ruleset`, {
    method: "PUT",
    headers: { ...auth(SCENE_KEYS.admin), "if-none-match": "*" },
    body: JSON.stringify(smallRuleset(1)),
  });
  if (put.status !== 200) throw new Error(`publishing the scene's ruleset failed: ${put.status} ${await put.text()}`);

  const planted: Record<string, number> = { control: 0, one_page: 0 };
  for (let minute = 0; minute < 6; minute++) {
    for (let i = 0; i < 20 + minute * 7; i++) {
      const res = await fetch(`${server.url}/v1/assignments`, {
        method: "POST",
        headers: auth(SCENE_KEYS.client),
        body: JSON.stringify({ experimentKey: "checkout_redesign", userId: `user_${minute}_${i}`, context: { country: "US" } }),
      });
      if (res.status !== 200) throw new Error(`assigning failed: ${res.status} ${await res.text()}`);
      planted[((await res.json()) as { variant: string }).variant]!++;
    }
    now += SAMPLE_EVERY_MS;
    // A snapshot read samples the series at the clock's new time.
    await fetch(`${server.url}/v1/live/snapshot`, { headers: auth(SCENE_KEYS.analyst) });
  }
  return {
    server,
    planted,
    breach: () => {
      guard.state = "breached";
      guard.since = new Date(now).toISOString();
      guard.reason = "checkout_errors rose by at least 12% (confidence sequence 12% to 75%), beyond its max_regression of 5%.";
    },
    advance: (ms) => {
      now += ms;
    },
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function metricRows(breached: boolean): LiveMetricRow[] {
  const e = "checkout_redesign";
  return [
    {
      experiment: e,
      metric: "conversion",
      role: "primary",
      variant: "control",
      units: 120,
      mean: 0.112,
      lift: null,
      lower: null,
      upper: null,
    },
    {
      experiment: e,
      metric: "conversion",
      role: "primary",
      variant: "one_page",
      units: 118,
      mean: 0.127,
      lift: 0.134,
      lower: -0.08,
      upper: 0.36,
    },
    {
      experiment: e,
      metric: "checkout_errors",
      role: "guardrail",
      variant: "control",
      units: 120,
      mean: 0.021,
      lift: null,
      lower: null,
      upper: null,
    },
    {
      experiment: e,
      metric: "checkout_errors",
      role: "guardrail",
      variant: "one_page",
      units: 118,
      mean: breached ? 0.031 : 0.024,
      lift: breached ? 0.42 : 0.14,
      lower: breached ? 0.12 : -0.2,
      upper: breached ? 0.75 : 0.5,
      state: breached ? "failed" : "inconclusive",
    },
  ];
}

/** Enters `key` in the page's sign-in form from the keyboard, as a person would. */
export async function signIn(page: ChromiumPage, key: string): Promise<void> {
  const asked = await waitUntil(() => page.evaluate<boolean>(`document.activeElement?.id === "key"`), 15_000, 50);
  if (!asked) throw new Error("the live view did not ask for a key with the focus in its field");
  await page.type(key);
  await page.press("Enter");
}
