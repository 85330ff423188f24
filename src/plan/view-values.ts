import type { Change, FieldDiff } from "./model.js";
import type { Condition } from "../ruleset/types.js";
import { conditionSource } from "./condition-source.js";
import { isConditionField } from "./diff.js";
import { basisPoints } from "./percent.js";

export type Sign = "+" | "-" | "~";

/** A field's value as a person reads it: on one line, as "before → after", or as lines of a structural diff. */
export type ValueView =
  | { layout: "inline"; text: string }
  | { layout: "change"; before: string; after: string }
  | { layout: "lines"; lines: { sign: Sign | " "; text: string }[] };

export interface FieldView {
  sign: Sign;
  /** The dotted path inside the object, e.g. "variants.control.weight". */
  label: string;
  value: ValueView;
}

/** What a field holds, which decides how its value is written. */
type Shape = "condition" | "basisPoints" | "ranges" | "steps" | "plain";

/** Longer one-line values are shown as lines, so that a change reads top to bottom. */
const INLINE_WIDTH = 60;

/** A field-level diff as the plan views show it: every value in full, never cut. */
export function fieldView(c: Change, d: FieldDiff): FieldView {
  const shape = shapeOf(c.kind, d.path);
  const sign: Sign = c.action === "create" || d.before === undefined ? "+" : c.action === "delete" || d.after === undefined ? "-" : "~";
  const label = d.path || (c.kind === "segment" ? "when" : "value");
  const one = sign === "+" ? d.after : d.before;
  if (sign !== "~") {
    const text = inline(one, shape);
    const value: ValueView =
      isList(one, shape) && text.length > INLINE_WIDTH
        ? { layout: "lines", lines: items(one, shape).map((t) => ({ sign, text: t })) }
        : { layout: "inline", text };
    return { sign, label, value };
  }
  if (isList(d.before, shape) || isList(d.after, shape))
    return { sign, label, value: { layout: "lines", lines: lineDiff(items(d.before, shape), items(d.after, shape)) } };
  const before = inline(d.before, shape);
  const after = inline(d.after, shape);
  const value: ValueView =
    before.length + after.length <= INLINE_WIDTH
      ? { layout: "change", before, after }
      : {
          layout: "lines",
          lines: [
            { sign: "-", text: before },
            { sign: "+", text: after },
          ],
        };
  return { sign, label, value };
}

function shapeOf(kind: Change["kind"], path: string): Shape {
  if (isConditionField(kind, path)) return "condition";
  if (kind === "experiment" && (path === "traffic" || /^variants\.[^.]+\.weight$/.test(path))) return "basisPoints";
  if (kind === "holdout" && path === "traffic") return "basisPoints";
  if (kind === "layer" && /^slots\.[^.]+$/.test(path)) return "ranges";
  if (kind === "flag" && /^rules\.[^.]+\.steps$/.test(path)) return "steps";
  return "plain";
}

/** Arrays and objects (other than conditions, which read as one expression) can be shown one item per line. */
function isList(v: unknown, shape: Shape): v is unknown[] | Record<string, unknown> {
  return shape !== "condition" && typeof v === "object" && v !== null;
}

/** The value on one line, in full. */
function inline(v: unknown, shape: Shape): string {
  if (v === undefined) return "(none)";
  if (shape === "condition" && typeof v === "object" && v !== null) return conditionSource(v as Condition);
  if (shape === "basisPoints" && typeof v === "number") return basisPoints(v);
  if (Array.isArray(v) && (shape === "ranges" || shape === "steps")) return `[${items(v, shape).join(", ")}]`;
  return JSON.stringify(v);
}

/** One text per array item or object member. */
function items(v: unknown, shape: Shape): string[] {
  if (Array.isArray(v)) return v.map((x) => item(x, shape));
  if (typeof v === "object" && v !== null) return Object.entries(v).map(([k, x]) => `${k}: ${JSON.stringify(x)}`);
  return v === undefined ? [] : [JSON.stringify(v)];
}

function item(x: unknown, shape: Shape): string {
  if (shape === "ranges" && Array.isArray(x) && x.length === 2 && x.every((n) => typeof n === "number"))
    return `${basisPoints(x[0] as number)}–${basisPoints(x[1] as number)}`;
  if (shape === "steps" && typeof x === "object" && x !== null) {
    const { at, traffic, afterUnits } = x as { at?: unknown; traffic?: unknown; afterUnits?: unknown };
    if (typeof at === "string" && typeof traffic === "number") return `${basisPoints(traffic)} from ${at}`;
    // A gated step exp serve has not taken yet.
    if (typeof traffic === "number" && typeof afterUnits === "number")
      return `${basisPoints(traffic)} pending: after ${afterUnits} units per arm with no regression`;
  }
  return JSON.stringify(x);
}

/** Lines removed, added and kept, in order (a longest common subsequence of the two lists). */
export function lineDiff(before: readonly string[], after: readonly string[]): { sign: Sign | " "; text: string }[] {
  const n = before.length;
  const m = after.length;
  const keep: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      keep[i]![j] = before[i] === after[j] ? keep[i + 1]![j + 1]! + 1 : Math.max(keep[i + 1]![j]!, keep[i]![j + 1]!);
  const out: { sign: Sign | " "; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ sign: " ", text: before[i]! });
      i++;
      j++;
    } else if (i < n && (j === m || keep[i + 1]![j]! >= keep[i]![j + 1]!)) out.push({ sign: "-", text: before[i++]! });
    else out.push({ sign: "+", text: after[j++]! });
  }
  return out;
}
