import type { Span } from "../../diagnostics/diagnostic.js";
import type { Origin } from "../../workspace/model.js";

/**
 * The span of the first dotted path that the origin knows, value spans before key spans, falling
 * back to the whole document, so that a check can name the field it cares about without knowing
 * which optional fields the file actually wrote.
 */
export function locate(origin: Origin, ...paths: string[]): Span | undefined {
  for (const p of paths) {
    const span = origin.values[p] ?? origin.keys[p];
    if (span) return span;
  }
  return origin.values[""] ?? origin.keys[""];
}

/** The key span of the first path that has one, else as locate(). */
export function locateKey(origin: Origin, ...paths: string[]): Span | undefined {
  for (const p of paths) {
    const span = origin.keys[p];
    if (span) return span;
  }
  return locate(origin, ...paths);
}
