import { defineCodes } from "../diagnostics/codes.js";

/**
 * Expression-language diagnostics.
 *   EXP20xx  syntax (lexer and parser)
 *   EXP21xx  names and types in conditions
 *   EXP22xx  metric expressions
 *   EXP23xx  segment references
 */
export const DSL_CODES = defineCodes({
  unexpectedCharacter: { code: "EXP2001", severity: "error", title: "Unexpected character in an expression" },
  unterminatedString: { code: "EXP2002", severity: "error", title: "Unterminated string literal" },
  invalidEscape: { code: "EXP2003", severity: "error", title: "Invalid escape sequence in a string literal" },
  syntax: { code: "EXP2004", severity: "error", title: "Syntax error in an expression" },
  misplacedWhere: { code: "EXP2005", severity: "error", title: '"where" outside an aggregate' },
  singleQuotedString: { code: "EXP2007", severity: "error", title: "String in single quotes" },
  emptyExpression: { code: "EXP2006", severity: "error", title: "Empty expression" },
  tooDeep: { code: "EXP2008", severity: "error", title: "Expression nested too deeply (docs/language.md, Limits)" },

  unknownAttribute: { code: "EXP2101", severity: "error", title: "Unknown attribute" },
  dottedAttribute: { code: "EXP2102", severity: "error", title: "Dotted path in a condition" },
  unknownProperty: { code: "EXP2103", severity: "error", title: "Unknown event property" },
  orderingType: { code: "EXP2104", severity: "error", title: "Ordering comparison on a type without order" },
  equalityType: { code: "EXP2105", severity: "error", title: "Equality between incompatible types" },
  enumValue: { code: "EXP2106", severity: "error", title: "Value not in the attribute's enum" },
  listElementType: { code: "EXP2107", severity: "error", title: "List element of the wrong type" },
  stringOperand: { code: "EXP2108", severity: "error", title: "String operator on a non-string" },
  invalidRegex: { code: "EXP2109", severity: "error", title: "Invalid regular expression" },
  booleanOperand: { code: "EXP2110", severity: "error", title: "Logical operator on a non-boolean" },
  numberOperand: { code: "EXP2111", severity: "error", title: "Arithmetic on a non-number" },
  invalidSemver: { code: "EXP2112", severity: "error", title: "Invalid semantic version" },
  invalidDate: { code: "EXP2113", severity: "error", title: "Invalid date" },
  unknownFunction: { code: "EXP2114", severity: "error", title: "Unknown function" },
  arity: { code: "EXP2115", severity: "error", title: "Wrong number of arguments" },
  argumentType: { code: "EXP2116", severity: "error", title: "Argument of the wrong type" },
  unknownSegment: { code: "EXP2117", severity: "error", title: "Unknown segment" },
  unknownExperiment: { code: "EXP2118", severity: "error", title: "Unknown experiment" },
  unknownVariant: { code: "EXP2119", severity: "error", title: "Unknown variant of an experiment" },
  aggregateInCondition: { code: "EXP2120", severity: "error", title: "Aggregate in a condition" },
  notBoolean: { code: "EXP2121", severity: "error", title: "Condition is not boolean" },
  literalArgument: { code: "EXP2122", severity: "error", title: "Argument must be a string literal" },
  nullComparison: { code: "EXP2123", severity: "error", title: 'Comparison with null (use "is null")' },
  durationInCondition: { code: "EXP2124", severity: "error", title: "Duration or percent literal where it has no meaning" },

  metricNotArithmetic: { code: "EXP2201", severity: "error", title: "Metric expression is not arithmetic over aggregates" },
  unknownEvent: { code: "EXP2202", severity: "error", title: "Unknown event" },
  aggregateNeedsNumber: { code: "EXP2203", severity: "error", title: "Aggregate needs a numeric property" },
  aggregateNeedsProperty: { code: "EXP2204", severity: "error", title: "Aggregate needs a property" },
  aggregateForbidsProperty: { code: "EXP2205", severity: "error", title: "Aggregate takes an event, not a property" },
  zeroDenominator: { code: "EXP2206", severity: "error", title: "Denominator can be identically zero" },
  aggregateShape: { code: "EXP2207", severity: "error", title: "Malformed aggregate call" },
  noAggregate: { code: "EXP2208", severity: "error", title: "Metric expression has no aggregate" },
  nestedAggregate: { code: "EXP2209", severity: "error", title: "Aggregate inside an aggregate filter" },

  segmentCycle: { code: "EXP2301", severity: "error", title: "Segment reference cycle" },
});
