/** Compact, single-line rendering of a ruleset value for plan diffs. */
export function showValue(v: unknown, max = 80): string {
  if (v === undefined) return "(none)";
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export const SYMBOL = { create: "+", update: "~", delete: "-", replace: "±" } as const;
export const VERB = {
  create: "will be created",
  update: "will be updated in place",
  delete: "will be deleted",
  replace: "will be replaced (re-randomised)",
} as const;
