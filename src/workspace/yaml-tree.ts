import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { diagnostic, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import type { Origin } from "./model.js";
import { WorkspaceCodes as C } from "./codes.js";

/** A YAML file turned into plain values, with the span of every key and value by dotted path. */
export interface YamlTree {
  doc: Document.Parsed;
  /** undefined when the document is empty. */
  value: unknown;
  origin: Origin;
  /** The YAML node behind each dotted path, for expression offset mapping and formatting. */
  nodes: Map<string, Node>;
  diagnostics: Diagnostic[];
}

/** Aliases can expand exponentially; past this many nodes the file is refused. */
const MAX_NODES = 100_000;
const MAX_DEPTH = 100;

export function parseYamlTree(file: SourceFile): YamlTree {
  const doc = parseDocument(file.text, { prettyErrors: false, uniqueKeys: false, version: "1.2", schema: "core" });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) diagnostics.push(yamlErrorDiag(file, e.code, e.message, e.pos));
  const origin: Origin = { file: file.path, values: {}, keys: {} };
  const nodes = new Map<string, Node>();
  const walker = { file, doc, origin, nodes, count: 0, diagnostics };
  let value: unknown;
  if (doc.contents) {
    try {
      value = convert(walker, doc.contents as Node, "");
    } catch (err) {
      if (err instanceof TooManyNodes) {
        diagnostics.push(
          diagnostic(C.tooDeep, `"${file.path}" expands to more than ${MAX_NODES} values (repeated aliases?); simplify the file`, {
            span: file.span(0, 0),
          }),
        );
      } else if (err instanceof TooDeep) {
        diagnostics.push(
          diagnostic(C.tooDeep, `"${file.path}" nests lists or mappings more than ${MAX_DEPTH} levels deep; flatten it`, {
            span: file.span(0, 0),
          }),
        );
      } else throw err;
      value = undefined;
    }
  }
  return { doc, value, origin, nodes, diagnostics };
}

class TooManyNodes extends Error {}
class TooDeep extends Error {}

interface Walker {
  file: SourceFile;
  doc: Document.Parsed;
  origin: Origin;
  nodes: Map<string, Node>;
  count: number;
  diagnostics: Diagnostic[];
}

export function nodeSpan(file: SourceFile, node: Node | null | undefined): Span | undefined {
  const r = node?.range;
  if (!r) return undefined;
  return file.span(r[0], r[1]);
}

function convert(w: Walker, node: Node, path: string, depth = 0): unknown {
  if (++w.count > MAX_NODES) throw new TooManyNodes();
  if (depth > MAX_DEPTH) throw new TooDeep();
  w.nodes.set(path, node);
  const span = nodeSpan(w.file, node);
  if (span) w.origin.values[path] = span;
  if (isAlias(node)) {
    const target = node.resolve(w.doc);
    if (!target) return null;
    // The alias keeps its own span: diagnostics point where the value is used.
    const saved = w.origin.values[path];
    const v = convert(w, target as Node, path, depth + 1);
    if (saved) w.origin.values[path] = saved;
    return v;
  }
  if (isScalar(node)) {
    if (typeof node.value === "number") checkNumber(w, node.value, path, span);
    return node.value;
  }
  if (isSeq(node)) return node.items.map((item, i) => convert(w, item as Node, join(path, String(i)), depth + 1));
  if (isMap(node)) {
    // No prototype: a key such as "constructor" or "toString" is only ever the user's own key, for every
    // later lookup by name, and "__proto__" (refused below) can never reach a prototype.
    const out: Record<string, unknown> = Object.create(null);
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      let key: string;
      if (keyNode === null || keyNode === undefined) key = "";
      else if (isScalar(keyNode)) key = String(keyNode.value);
      else {
        const s = nodeSpan(w.file, keyNode);
        w.diagnostics.push(
          diagnostic(C.wrongType, "mapping keys must be plain names, not lists or mappings; write the key as a single word", { span: s }),
        );
        continue;
      }
      const p = join(path, key);
      const ks = nodeSpan(w.file, keyNode);
      if (key === "__proto__") {
        w.diagnostics.push(
          diagnostic(C.reservedKey, `the key "__proto__"${where(path)} is not allowed in workspace files; rename it`, { span: ks }),
        );
        continue;
      }
      if (ks) w.origin.keys[p] = ks;
      // Duplicates are found here rather than by the parser (its check is quadratic per mapping); the first occurrence wins.
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        w.diagnostics.push(
          diagnostic(C.duplicateKey, `key "${key}" appears twice in the same mapping; remove or rename one of them`, { span: ks }),
        );
        continue;
      }
      const valueNode = pair.value as Node | null;
      if (valueNode === null || valueNode === undefined) {
        out[key] = null;
        if (ks) w.origin.values[p] = { ...ks, offset: ks.endOffset, column: ks.endColumn, line: ks.endLine };
      } else out[key] = convert(w, valueNode, p, depth + 1);
    }
    return out;
  }
  return null;
}

/**
 * Numbers must mean what they say downstream: JSON has no infinity or NaN (they would publish as null), and
 * a whole number past 2^53 is silently rounded (a unit id, a phase, an epoch would change). Every numeric
 * field of every file is covered here, once, at the value's span.
 */
function checkNumber(w: Walker, value: number, path: string, span: Span | undefined): void {
  // A number scalar's source is digits, signs, dots and letters such as ".inf": safe to show as written.
  const written = span ? w.file.text.slice(span.offset, Math.min(span.endOffset, span.offset + 40)) : String(value);
  const field = path === "" ? "the file" : `"${path}"`;
  if (Number.isNaN(value))
    w.diagnostics.push(diagnostic(C.outOfRange, `${field} is ${written}, which is not a number; write a finite number`, { span }));
  else if (!Number.isFinite(value))
    w.diagnostics.push(
      diagnostic(C.outOfRange, `${field} is ${written}, which is infinite (or too large to represent); write a finite number`, { span }),
    );
  else if (Number.isInteger(value) && !Number.isSafeInteger(value))
    w.diagnostics.push(
      diagnostic(
        C.outOfRange,
        `${field} is ${written}, beyond 2^53 (9007199254740991), where whole numbers are no longer exact; write a smaller number, or quote it if it is an id`,
        { span },
      ),
    );
}

function where(path: string): string {
  return path === "" ? "" : ` in "${path}"`;
}

function join(path: string, seg: string): string {
  return path === "" ? seg : `${path}.${seg}`;
}

function yamlErrorDiag(file: SourceFile, code: string, message: string, pos: [number, number]): Diagnostic {
  const span = file.span(pos[0], Math.max(pos[1], pos[0] + 1));
  switch (code) {
    case "TAB_AS_INDENT":
      return diagnostic(C.tabIndent, "tabs are not allowed for indentation in YAML; indent with spaces", { span });
    case "DUPLICATE_KEY": {
      const line = file.text.slice(pos[0], file.text.indexOf("\n", pos[0]) < 0 ? undefined : file.text.indexOf("\n", pos[0]));
      const key = (/^("[^"]*"|'[^']*'|[^:#]*)/.exec(line)?.[1] ?? "").trim().replace(/^["']|["']$/g, "");
      return diagnostic(C.duplicateKey, `key "${key}" appears twice in the same mapping; remove or rename one of them`, {
        span: file.span(pos[0], pos[0] + Math.max(1, line.search(/\s*:/) < 0 ? 1 : line.search(/\s*:/))),
      });
    }
    case "MULTIPLE_DOCS":
      return diagnostic(
        C.multipleDocuments,
        'a workspace file holds one YAML document; remove the "---" separator and what follows, or move it to its own file',
        { span: file.span(pos[0], pos[0] + 3) },
      );
    default:
      return diagnostic(C.yamlSyntax, `YAML syntax error: ${yamlMessage(code, message)}`, { span });
  }
}

/** The parser's messages are mostly fine sentences; trim the library-specific tails. */
function yamlMessage(code: string, message: string): string {
  const first = message
    .split("\n")[0]!
    .replace(/ at line \d+, column \d+:?$/, "")
    .trim();
  const m = first.charAt(0).toLowerCase() + first.slice(1);
  if (code === "MISSING_CHAR" || code === "BAD_INDENT") return `${m} (the file may be truncated)`;
  return m;
}
