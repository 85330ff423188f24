import { diagnostic, type Diagnostic, type Span } from "../../diagnostics/diagnostic.js";
import type { SourceFile } from "../../diagnostics/source.js";
import { parseCondition, parseMetricExpr, type Expr } from "../../dsl/index.js";
import type { CodeInfo } from "../../diagnostics/codes.js";
import type { Origin } from "../model.js";
import { scalarOrigin } from "../scalar-offsets.js";
import type { YamlTree } from "../yaml-tree.js";
import type { Duration } from "../model.js";
import { normalizeTimestamp, parseDuration, parseShare } from "./values.js";
import { WorkspaceCodes as C } from "../codes.js";

/** One schema-valid file being turned into its model object; collects the file's diagnostics. */
export class FileBuild {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: SourceFile,
    readonly tree: YamlTree,
  ) {}

  get origin(): Origin {
    return this.tree.origin;
  }

  /** Span of the value at a dotted path, falling back to its key, then to the whole file. */
  span(path: string): Span | undefined {
    return this.tree.origin.values[path] ?? this.tree.origin.keys[path] ?? this.tree.origin.values[""];
  }

  keySpan(path: string): Span | undefined {
    return this.tree.origin.keys[path] ?? this.span(path);
  }

  report(info: CodeInfo, message: string, span: Span | undefined, suggestion?: string): void {
    this.diagnostics.push(diagnostic(info, message, { span, suggestion }));
  }

  condition(path: string, text: string): Expr | undefined {
    return this.parseExpr(path, text, parseCondition);
  }

  metricExpr(path: string, text: string): Expr | undefined {
    return this.parseExpr(path, text, parseMetricExpr);
  }

  private parseExpr(path: string, text: string, parse: typeof parseCondition): Expr | undefined {
    try {
      const r = parse(text, scalarOrigin(this.file, this.tree.nodes.get(path)));
      this.diagnostics.push(...r.diagnostics);
      return r.expr;
    } catch (err) {
      // A recursive-descent parser runs out of stack on thousands of nested parentheses: a user problem, not a crash.
      if (!(err instanceof RangeError)) throw err;
      this.report(C.tooDeep, `the expression at "${path}" is nested too deeply; simplify it`, this.span(path));
      return undefined;
    }
  }

  /** A share ("5%" or 0.05); a percent too long to be a finite number is reported at its value. */
  share(path: string, v: unknown): number {
    const share = parseShare(v);
    if (!Number.isFinite(share))
      this.report(C.outOfRange, `"${path}" is too large to be a share; write a percent up to 100%`, this.span(path));
    return share;
  }

  /** A duration ("14d"); one too long to count exactly in seconds is reported at its value. */
  duration(path: string, text: string): Duration {
    const d = parseDuration(text);
    if (!Number.isSafeInteger(d.seconds))
      this.report(C.outOfRange, `"${path}" is too long to count in seconds; write a shorter duration`, this.span(path));
    return d;
  }

  timestamp(path: string, text: string): string {
    const t = normalizeTimestamp(text);
    if (t === undefined)
      this.report(
        C.badTimestamp,
        `"${text}" is not a real date and time; use an ISO-8601 UTC timestamp such as "2026-12-01T00:00:00Z"`,
        this.span(path),
      );
    return t ?? text;
  }

  get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }
}
