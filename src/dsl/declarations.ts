import type { Span } from "../diagnostics/diagnostic.js";

/**
 * What expressions are checked against: the declared types of unit attributes and event
 * properties, the kinds a metric expression can have, and where a definition sits in its file.
 * The language owns these shapes; the workspace model declares its settings with them.
 */
export type AttributeType = "string" | "number" | "boolean" | "date" | "semver" | { enum: string[] };
export type PropertyType = "string" | "number" | "boolean" | "date";

export type MetricKind =
  "conversion" | "count" | "sum" | "mean" | "min" | "max" | "count_distinct" | "ratio" | "quantile" | "retention" | "arithmetic";

export interface Origin {
  file: string;
  /** Value spans by dotted path ("" = whole document, "variants.control.weight", "rules.1.when"). */
  values: Record<string, Span>;
  /** Key spans by the same dotted paths ("variants.control" → span of the `control:` key). */
  keys: Record<string, Span>;
}
