import { AggregatesRule } from "./aggregates.js";
import { ArithmeticShapeRule } from "./arithmetic-shape.js";
import type { MetricRule } from "./rule.js";
import { ZeroDenominatorRule } from "./zero-denominator.js";

/** Every metric-expression check. A new check is one file plus one line here. */
export const metricRules: readonly MetricRule[] = [ArithmeticShapeRule, AggregatesRule, ZeroDenominatorRule];
