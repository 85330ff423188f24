import type { ConditionRule } from "../rule.js";
import { ArithmeticRule } from "./arithmetic.js";
import { DurationsRule } from "./durations.js";
import { EqualityRule } from "./equality.js";
import { FunctionCallsRule } from "./function-calls.js";
import { KnownNamesRule } from "./known-names.js";
import { LogicalRule } from "./logical.js";
import { MembershipRule } from "./membership.js";
import { NoAggregatesRule } from "./no-aggregates.js";
import { OrderingRule } from "./ordering.js";
import { StringOperatorsRule } from "./string-operators.js";

/** Every condition check, in reporting order. A new check is one file plus one line here. */
export const conditionRules: readonly ConditionRule[] = [
  KnownNamesRule,
  FunctionCallsRule,
  NoAggregatesRule,
  DurationsRule,
  EqualityRule,
  MembershipRule,
  OrderingRule,
  StringOperatorsRule,
  LogicalRule,
  ArithmeticRule,
];
