/**
 * The live statistics' update alone, in this process: how many stored events per second
 * LiveStats takes over units exposed to checkout_redesign, with the example workspace's metrics
 * (one in five events a purchase, one in five a checkout error, the rest read by no live metric).
 * A figure far above the ingest path's events/s means the update is a small share of its cost.
 */
import { performance } from "node:perf_hooks";
import { liveDefinitions } from "../../src/app/live-definitions.js";
import { LiveStats } from "../../src/runtime/server/live/live-stats.js";
import type { EventRecord, ExposureRecord } from "../../src/runtime/server/records.js";
import { loadWorkspace } from "../../src/workspace/load.js";

export async function liveUpdateRate(units = 10_000, events = 200_000, passes = 9): Promise<Record<string, unknown>> {
  const loaded = await loadWorkspace(new URL("../../", import.meta.url).pathname);
  if (!loaded.value) throw new Error("the example workspace does not load");
  const live = new LiveStats(liveDefinitions(loaded.value));
  const at = Date.parse("2026-11-10T00:00:00Z");
  const exposures: ExposureRecord[] = Array.from({ length: units }, (_, i) => ({
    id: `x${i}`,
    unit_id: `user_${i}`,
    experiment: "checkout_redesign",
    phase: 1,
    variant: i % 2 ? "one_page" : "control",
    ts: new Date(at).toISOString(),
    metadata: null,
  }));
  const t0 = performance.now();
  live.exposures(exposures);
  const exposureMs = performance.now() - t0;
  const ts = new Date(at + 3_600_000).toISOString();
  const records: EventRecord[] = Array.from({ length: events }, (_, i) => {
    const kind = i % 5 === 0 ? "purchase" : i % 5 === 1 ? "checkout_error" : "page_view";
    return {
      id: `e${i}`,
      unit_id: `user_${(i * 7) % units}`,
      session_id: null,
      event: kind,
      ts,
      value: kind === "purchase" ? 19.99 : null,
      properties: kind === "purchase" ? { revenue: 19.99, currency: "USD" } : null,
    };
  });
  const rates: number[] = [];
  for (let p = 0; p < passes; p++) {
    const start = performance.now();
    live.events(records);
    rates.push(events / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return {
    workload: "live_stats_update",
    impl: "in-process",
    units,
    exposuresPerSec: Math.round(units / (exposureMs / 1000)),
    eventsPerSec: Math.round(rates[Math.floor(passes / 2)]!),
    runs: rates.map(Math.round),
  };
}
