import { findSegmentCycles } from "../../dsl/index.js";
import type { Check } from "./context.js";

/** segment("a") inside a's own condition, directly or through other segments, never terminates. */
export const segmentCyclesCheck: Check = {
  name: "segment-cycles",
  run({ workspace: ws }) {
    return findSegmentCycles(new Map([...ws.segments].map(([k, s]) => [k, { when: s.when, origin: s.origin }])));
  },
};
