import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import { WorkspaceCodes as C } from "./codes.js";
import type { WorkspaceRoot } from "./containment.js";
import { readSourceFile } from "./read.js";
import { checkSchema, type FileKind } from "./schema.js";
import { parseYamlTree, type YamlTree } from "./yaml-tree.js";

type Raw = Record<string, any>;

/** One workspace file after reading, YAML parsing and schema validation. */
export interface ParsedFile {
  path: string;
  kind: FileKind;
  file?: SourceFile;
  tree?: YamlTree;
  /** The file's value, only when the file passed every step so far. */
  raw?: Raw;
  /** The file's value whenever it is a mapping, even with errors: enough to learn the names it declares. */
  rawish?: Raw;
  diagnostics: Diagnostic[];
}

export async function parseYamlFile(root: WorkspaceRoot, rel: string, kind: FileKind): Promise<ParsedFile> {
  const read = await readSourceFile(root, rel);
  if (!read.file || read.diagnostics.length)
    return { path: rel, kind, ...(read.file ? { file: read.file } : {}), diagnostics: read.diagnostics };
  const id = `${kind}\u0000${rel}\u0000${read.file.text}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const parsed = parseSource(read.file, kind);
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(id, parsed);
  return parsed;
}

/**
 * Parsed files by (kind, path, text). Parsing and schema-checking are pure functions of the text, and
 * long-lived processes (serve, repeated validation) mostly see unchanged files. Entries are shared:
 * nothing downstream mutates a ParsedFile or its tree.
 */
const cache = new Map<string, ParsedFile>();
const CACHE_ENTRIES = 4096;

/** The in-memory half of parseYamlFile, for callers that already hold the text (fmt, tests). */
export function parseSource(file: SourceFile, kind: FileKind): ParsedFile {
  const rel = file.path;
  if (file.text.trim() === "" || file.text.split("\n").every((l) => /^\s*(#.*)?$/.test(l))) {
    return {
      path: rel,
      kind,
      file,
      diagnostics: [
        diagnostic(
          C.emptyFile,
          `"${rel}" is empty; add the ${kind === "exp" ? "workspace settings" : kind === "layers" ? '"layers" or "holdouts" mapping' : `"${kind}:" key and its fields`} or delete the file`,
          { span: file.span(0, 0) },
        ),
      ],
    };
  }
  const tree = parseYamlTree(file);
  const diagnostics = [...tree.diagnostics];
  const isMapping = tree.value !== null && typeof tree.value === "object" && !Array.isArray(tree.value);
  if (!isMapping) {
    if (!diagnostics.length) {
      const found = Array.isArray(tree.value)
        ? "a list"
        : tree.value === null || tree.value === undefined
          ? "nothing"
          : `a single ${typeof tree.value}`;
      diagnostics.push(
        diagnostic(C.notMapping, `"${rel}" must be a mapping of keys to values at the top level, but it holds ${found}`, {
          span: tree.origin.values[""] ?? file.span(0, 0),
        }),
      );
    }
    return { path: rel, kind, file, tree, diagnostics };
  }
  const rawish = tree.value as Raw;
  // After a syntax error the tree is a guess; schema errors on it would mostly be echoes.
  if (!diagnostics.length) diagnostics.push(...checkSchema(kind, rawish, tree.origin));
  const ok = !diagnostics.some((d) => d.severity === "error");
  return { path: rel, kind, file, tree, rawish, ...(ok ? { raw: rawish } : {}), diagnostics };
}
