import { parseDocument } from "yaml";

/**
 * `text` (one workspace file) with top-level `fields` set, the rest of the file (comments, order,
 * flow style) kept: how a machine-made change, such as a guard's `enabled: false`, reaches git.
 */
export function withTopLevelFields(text: string, fields: Record<string, unknown>): string {
  return withFieldsAt(
    text,
    Object.entries(fields).map(([field, value]) => ({ path: [field], value })),
  );
}

/**
 * `text` with the field at each `path` (keys and sequence indexes) set, or deleted where `value` is
 * undefined, the rest kept: how a guard's taken rollout step (its `at`, no `after_units`) reaches git.
 */
export function withFieldsAt(text: string, edits: readonly { path: readonly (string | number)[]; value: unknown }[]): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`the file does not parse: ${doc.errors[0]!.message}`);
  for (const { path, value } of edits) {
    if (value === undefined) doc.deleteIn(path);
    else doc.setIn(path, value);
  }
  return doc.toString({ lineWidth: 0, indent: 2, flowCollectionPadding: false, indentSeq: true });
}
