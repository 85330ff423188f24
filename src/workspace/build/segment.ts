import type { Segment } from "../model.js";
import type { FileBuild } from "./context.js";

type Raw = Record<string, any>;

export function buildSegment(b: FileBuild, raw: Raw): Segment | undefined {
  const when = b.condition("when", raw.when);
  if (!when) return undefined;
  return {
    key: raw.segment,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    when,
    whenText: raw.when,
    origin: b.origin,
  };
}
