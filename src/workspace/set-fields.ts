import { parseDocument } from "yaml";

/**
 * `text` (one workspace file) with top-level `fields` set, the rest of the file (comments, order,
 * flow style) kept: how a machine-made change, such as a guard's `enabled: false`, reaches git.
 */
export function withTopLevelFields(text: string, fields: Record<string, unknown>): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`the file does not parse: ${doc.errors[0]!.message}`);
  for (const [field, value] of Object.entries(fields)) doc.set(field, value);
  return doc.toString({ lineWidth: 0, indent: 2, flowCollectionPadding: false, indentSeq: true });
}
