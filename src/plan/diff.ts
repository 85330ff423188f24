import type { Ruleset } from "../ruleset/types.js";
import type { Action, Change, FieldDiff } from "./model.js";
import { own } from "../ruleset/own.js";
import { reassignment } from "./reassign.js";

type Kind = Change["kind"];
const SECTIONS: { kind: Kind; field: "experiments" | "flags" | "segments" | "layers" | "holdouts" | "attributes" }[] = [
  { kind: "attribute", field: "attributes" },
  { kind: "segment", field: "segments" },
  { kind: "holdout", field: "holdouts" },
  { kind: "layer", field: "layers" },
  { kind: "experiment", field: "experiments" },
  { kind: "flag", field: "flags" },
];

/** Fields whose change replaces the object: its population is drawn again (Terraform's "forces replacement"). */
const REPLACING: Partial<Record<Kind, string[]>> = { experiment: ["phase", "unit"] };

/**
 * Whether a field holds a condition (targeting, a rule's `when`, a segment's whole value). A condition
 * is compared and reported whole, so a view can print the expression before and after; its parts
 * (`args.1.value`) mean nothing to a reader.
 */
export function isConditionField(kind: Kind, path: string): boolean {
  if (kind === "experiment") return path === "targeting";
  if (kind === "flag") return /^rules\.[^.]+\.when$/.test(path);
  return kind === "segment" && path === "";
}

/**
 * The pure diff of the desired ruleset against the published one: one Change per object that differs,
 * with field-level diffs and, for running experiments, who would be moved.
 */
export function diffRulesets(published: Ruleset | undefined, desired: Ruleset): Change[] {
  const changes: Change[] = [];
  for (const { kind, field } of SECTIONS) {
    const before = (published?.[field] ?? {}) as Record<string, unknown>;
    const after = desired[field] as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    const whole = (path: string) => isConditionField(kind, path);
    for (const key of keys) {
      const b = own(before, key);
      const a = own(after, key);
      let action: Action;
      let fieldDiffs: FieldDiff[];
      if (b === undefined) {
        action = "create";
        fieldDiffs = diffValues(undefined, a, "", whole);
      } else if (a === undefined) {
        action = "delete";
        fieldDiffs = diffValues(b, undefined, "", whole);
      } else {
        fieldDiffs = diffValues(b, a, "", whole);
        if (fieldDiffs.length === 0) continue;
        const replacing = REPLACING[kind] ?? [];
        action = fieldDiffs.some((d) => replacing.some((f) => d.path === f || d.path.startsWith(`${f}.`))) ? "replace" : "update";
      }
      const change: Change = { address: `${kind}.${key}`, kind, key, action, fieldDiffs };
      if (kind === "experiment" && published) {
        const r = reassignment(key, published, desired);
        if (r) change.reassignment = r;
      }
      changes.push(change);
    }
  }
  // Holdout and segment edits move units of experiments whose own fields did not change.
  if (published) {
    for (const key of Object.keys(desired.experiments).sort()) {
      if (changes.some((c) => c.address === `experiment.${key}`)) continue;
      const r = reassignment(key, published, desired);
      if (r && (r.switchShare !== 0 || r.leaveShare !== 0 || r.newShare !== 0 || !r.exact)) {
        changes.push({ address: `experiment.${key}`, kind: "experiment", key, action: "update", fieldDiffs: [], reassignment: r });
      }
    }
  }
  return changes;
}

/**
 * Field-level differences. Arrays of objects with a `key` or `name` are compared by that identity
 * (variants, rules), so reordering-free edits read as edits of one element, not of the whole list.
 * Values at paths where `whole` holds are compared as one value.
 */
export function diffValues(before: unknown, after: unknown, path = "", whole: (path: string) => boolean = () => false): FieldDiff[] {
  if (deepEqual(before, after)) return [];
  const bo = isObject(before);
  const ao = isObject(after);
  if ((bo || before === undefined) && (ao || after === undefined) && (bo || ao) && !whole(path)) {
    const b = keyed(before);
    const a = keyed(after);
    if (b && a) {
      const out: FieldDiff[] = [];
      for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])])
        out.push(...diffValues(b[k], a[k], path ? `${path}.${k}` : k, whole));
      return out;
    }
  }
  const d: FieldDiff = { path };
  if (before !== undefined) d.before = before;
  if (after !== undefined) d.after = after;
  return [d];
}

function keyed(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined) return {};
  if (Array.isArray(v)) {
    if (
      !v.every(
        (x) =>
          isObject(x) &&
          (typeof (x as Record<string, unknown>).key === "string" || typeof (x as Record<string, unknown>).name === "string"),
      )
    )
      return undefined;
    const out: Record<string, unknown> = {};
    for (const x of v as Record<string, unknown>[]) {
      const { key, name, ...rest } = x;
      const id = (key ?? name) as string;
      if (id in out) return undefined;
      out[id] = rest;
    }
    return out;
  }
  return v as Record<string, unknown>;
}

function isObject(v: unknown): boolean {
  return typeof v === "object" && v !== null;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

export function summarise(changes: Change[]): { create: number; update: number; delete: number; replace: number } {
  const s = { create: 0, update: 0, delete: 0, replace: 0 };
  for (const c of changes) s[c.action]++;
  return s;
}
