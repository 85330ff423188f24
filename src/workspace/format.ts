import { isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import { parseCondition, parseMetricExpr, printExpr } from "../dsl/index.js";
import { scalarOrigin } from "./scalar-offsets.js";
import { loadSchema, type FileKind, type SchemaNode } from "./schema.js";

/**
 * Canonical formatting of one workspace file: keys in the schema's order (mappings keyed by user
 * names, like variants, keep their order), expressions pretty-printed, comments kept.
 * Callers only format files that loaded without errors.
 */
export function formatSource(file: SourceFile, kind: FileKind): { text: string; diagnostics: Diagnostic[] } {
  const doc = parseDocument(file.text, { keepSourceTokens: true, version: "1.2", schema: "core", uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const root = loadSchema(kind);
  if (doc.contents) {
    reorder(doc.contents as Node, root, root);
    prettyExpressions(doc.contents as Node, kind, file, diagnostics);
  }
  const text = doc.toString({ lineWidth: 0, indent: 2, flowCollectionPadding: false, indentSeq: true });
  return { text, diagnostics };
}

function deref(s: SchemaNode | boolean | undefined, root: SchemaNode): SchemaNode | undefined {
  if (!s || s === true) return undefined;
  if (typeof s.$ref === "string" && s.$ref.startsWith("#/definitions/")) return root.definitions?.[s.$ref.slice(14)];
  return s;
}

function reorder(node: Node, schema: SchemaNode | undefined, root: SchemaNode): void {
  if (!schema) return;
  if (isSeq(node)) {
    const items = deref(schema.items, root);
    for (const item of node.items) reorder(item as Node, items, root);
    return;
  }
  if (!isMap(node)) return;
  const props = schema.properties;
  if (props) {
    const order = Object.keys(props);
    const rank = (p: Pair) => {
      const k = isScalar(p.key) ? String(p.key.value) : "";
      const i = order.indexOf(k);
      return i < 0 ? order.length : i;
    };
    // Stable: keys the schema does not know keep their relative order at the end.
    const sorted = node.items.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i);
    if (sorted.some((s, i) => s.i !== i)) {
      // A comment before the first key belongs to the mapping, not to whichever key moves.
      const lead = (node.items[0]?.key as Node | undefined)?.commentBefore;
      if (lead && node.items[0]) (node.items[0].key as Node).commentBefore = undefined;
      node.items = sorted.map((s) => s.p);
      if (lead) {
        const first = node.items[0]!.key as Node;
        first.commentBefore = first.commentBefore ? `${lead}\n${first.commentBefore}` : lead;
      }
    }
  }
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const k = String(pair.key.value);
    const child =
      props?.[k] !== undefined ? deref(props[k], root) : deref(schema.additionalProperties as SchemaNode | boolean | undefined, root);
    if (pair.value) reorder(pair.value as Node, child, root);
  }
}

/** Dotted paths of expression scalars, per file kind; "*" matches any list index. */
const EXPRESSIONS: Partial<Record<FileKind, { path: string[]; metric: boolean }[]>> = {
  metric: [{ path: ["expr"], metric: true }],
  segment: [{ path: ["when"], metric: false }],
  experiment: [{ path: ["targeting"], metric: false }],
  flag: [{ path: ["rules", "*", "when"], metric: false }],
};

function prettyExpressions(root: Node, kind: FileKind, file: SourceFile, diagnostics: Diagnostic[]): void {
  for (const spec of EXPRESSIONS[kind] ?? []) {
    for (const node of find(root, spec.path)) {
      if (!isScalar(node) || typeof node.value !== "string") continue;
      const origin = scalarOrigin(file, node);
      const r = spec.metric ? parseMetricExpr(node.value, origin) : parseCondition(node.value, origin);
      if (!r.expr || r.diagnostics.some((d) => d.severity === "error")) {
        diagnostics.push(...r.diagnostics);
        continue;
      }
      const pretty = printExpr(r.expr);
      if (pretty === node.value) continue;
      node.value = pretty;
      // Block scalars were chosen for long expressions; single-line output reads better as plain.
      if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL)
        node.type = pretty.includes("\n") ? node.type : Scalar.PLAIN;
    }
  }
}

function find(node: Node, path: string[]): Node[] {
  if (path.length === 0) return [node];
  const [head, ...rest] = path;
  if (head === "*") return isSeq(node) ? node.items.flatMap((n) => find(n as Node, rest)) : [];
  if (!isMap(node)) return [];
  const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === head);
  return pair?.value ? find(pair.value as Node, rest) : [];
}
