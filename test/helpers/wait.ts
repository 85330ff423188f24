/**
 * Polls `condition` until it holds or `timeoutMs` passes. Waiting on a condition, not a fixed
 * number of sleeps, keeps a test honest on a loaded machine: it fails only when the thing never
 * happens, never because the machine was slow.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, pollMs = 10): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
