import assert from "node:assert/strict";
import { join } from "node:path";
import { waitUntil } from "../../../helpers/wait.js";
import type { Served } from "../../../runtime/server/serve-process.js";

/**
 * The environment that loads heap-after-gc.cjs into an exp serve process, for `heapAfterGc`: tests
 * compare the heap a server holds, not its resident memory, which also keeps pages freed or not yet
 * collected depending on the machine's load.
 */
export function heapPreloadEnv(): Record<string, string> {
  const preload = join(import.meta.dirname, "heap-after-gc.cjs");
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(preload)}`.trim() };
}

/** The V8 heap a server started with `heapPreloadEnv` holds after a full collection. */
export async function heapAfterGc(srv: Served): Promise<number> {
  const seen = srv.stderr().length;
  srv.child.kill("SIGUSR2");
  const line = () => /HEAP_AFTER_GC (\d+)/.exec(srv.stderr().slice(seen));
  assert.ok(await waitUntil(() => line() !== null, 60_000), `the server never reported its heap: ${srv.stderr()}`);
  return Number(line()![1]);
}
