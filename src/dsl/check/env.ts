import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { AttributeType, MetricKind, Origin, PropertyType } from "../declarations.js";
import type { AggregateExpr, Expr } from "../ast.js";

/** What the checks know about the workspace: declared attributes and events, segments and experiments. */
export interface CheckEnv {
  /** From exp.yaml. */
  attributes: Record<string, AttributeType>;
  /** From exp.yaml. */
  events: Record<string, Record<string, PropertyType>>;
  /** Named segments. */
  segment(name: string): { when: Expr; origin: Origin } | undefined;
  segmentNames(): string[];
  /** For in_experiment("key", "variant"). */
  experiment(key: string): { variants: string[] } | undefined;
  experimentKeys(): string[];
}

export interface MetricCheckResult {
  diagnostics: Diagnostic[];
  kind?: MetricKind;
  numerator?: AggregateExpr;
  denominator?: AggregateExpr;
  quantile?: number;
}
