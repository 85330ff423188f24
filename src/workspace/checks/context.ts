import type { CodeInfo } from "../../diagnostics/codes.js";
import { diagnostic, type Diagnostic, type Span } from "../../diagnostics/diagnostic.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import type { CheckEnv } from "../../dsl/index.js";
import type { Workspace } from "../model.js";

/** A file the loader saw, with the key it declares (even when the file failed to load). */
export interface DeclaredFile {
  kind: "metric" | "experiment" | "flag" | "segment";
  path: string;
  /** The file name without .yaml. */
  stem: string;
  key?: string;
  keySpan?: Span;
}

/** Names that exist even when their file failed to load, so one broken file does not cascade into "unknown" errors elsewhere. */
export interface KnownNames {
  metrics: Set<string>;
  experiments: Set<string>;
  flags: Set<string>;
  segments: Set<string>;
  layers: Set<string>;
}

export interface CheckContext {
  workspace: Workspace;
  env: CheckEnv;
  known: KnownNames;
  declared: DeclaredFile[];
  /** Files that already have an error (updated after each check), so later checks can stay quiet about them. */
  brokenFiles: Set<string>;
}

export interface Check {
  name: string;
  run(ctx: CheckContext): Diagnostic[];
}

/** "unknown metric "x"" with a did-you-mean over the candidates; undefined when the name is known. */
export function unknownName(
  info: CodeInfo,
  what: string,
  name: string,
  known: Iterable<string>,
  span: Span | undefined,
  hint: string,
): Diagnostic | undefined {
  const set = known instanceof Set ? (known as Set<string>) : new Set(known);
  if (set.has(name)) return undefined;
  return diagnostic(info, `unknown ${what} "${name}"; ${hint}`, { span, suggestion: didYouMean(name, set) });
}
