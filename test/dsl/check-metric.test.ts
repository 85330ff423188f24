import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { printExpr } from "../../src/dsl/index.js";
import { metricCheck, type Row } from "./harness.js";

const cases: [string, Row[]][] = [
  [
    "count(clik)",
    [
      {
        code: "EXP2202",
        message: 'Unknown event "clik"; declare it under "events" in exp.yaml',
        line: 1,
        column: 7,
        suggestion: 'did you mean "click"?',
      },
    ],
  ],
  [
    "sum(purchase.revnue)",
    [
      {
        code: "EXP2103",
        message: 'Unknown property "revnue" of event "purchase"; declare it under "events.purchase" in exp.yaml',
        line: 1,
        column: 14,
        suggestion: 'did you mean "revenue"?',
      },
    ],
  ],
  [
    "sum(purchase.currency)",
    [{ code: "EXP2203", message: '"sum" needs a number, but property "currency" of event "purchase" is a string', line: 1, column: 14 }],
  ],
  [
    "p90(purchase.currency)",
    [{ code: "EXP2203", message: '"p90" needs a number, but property "currency" of event "purchase" is a string', line: 1, column: 14 }],
  ],
  [
    "sum(purchase)",
    [{ code: "EXP2204", message: '"sum" needs a property of "purchase", as in sum(purchase.revenue)', line: 1, column: 1 }],
  ],
  [
    "mean(page_view)",
    [{ code: "EXP2204", message: '"mean" needs a property of "page_view", as in mean(page_view.value)', line: 1, column: 1 }],
  ],
  [
    "count_distinct(purchase)",
    [
      {
        code: "EXP2204",
        message: '"count_distinct" needs a property of "purchase", as in count_distinct(purchase.revenue)',
        line: 1,
        column: 1,
      },
    ],
  ],
  [
    "count(purchase.revenue)",
    [
      {
        code: "EXP2205",
        message:
          '"count" counts events and takes no property; write count(purchase), adding "where revenue is not null" if that is the intent',
        line: 1,
        column: 16,
      },
    ],
  ],
  [
    "any(purchase.value)",
    [
      {
        code: "EXP2205",
        message: '"any" counts events and takes no property; write any(purchase), adding "where value is not null" if that is the intent',
        line: 1,
        column: 14,
      },
    ],
  ],
  [
    "count(click) / 0",
    [{ code: "EXP2206", message: 'The denominator "0" is always zero, so the ratio is never defined', line: 1, column: 16 }],
  ],
  [
    "count(click) / (count(click) - count(click))",
    [
      {
        code: "EXP2206",
        message: 'The denominator "count(click) - count(click)" is always zero, so the ratio is never defined',
        line: 1,
        column: 17,
      },
    ],
  ],
  [
    "count(click) / (2 * count(click) - count(click) * 2)",
    [
      {
        code: "EXP2206",
        message: 'The denominator "2 * count(click) - count(click) * 2" is always zero, so the ratio is never defined',
        line: 1,
        column: 17,
      },
    ],
  ],
  [
    "count(click) / (0% * count(impression))",
    [
      {
        code: "EXP2206",
        message: 'The denominator "0% * count(impression)" is always zero, so the ratio is never defined',
        line: 1,
        column: 17,
      },
    ],
  ],
  [
    "sum(1)",
    [
      {
        code: "EXP2207",
        message: '"sum" takes one event or event.property, optionally followed by "where", as in sum(purchase.revenue)',
        line: 1,
        column: 1,
      },
    ],
  ],
  [
    "count(a.b.c)",
    [
      {
        code: "EXP2207",
        message: '"count" takes one event or event.property, optionally followed by "where", as in count(purchase)',
        line: 1,
        column: 1,
      },
    ],
  ],
  [
    "country",
    [
      {
        code: "EXP2201",
        message: 'A metric expression is arithmetic over aggregates such as count(event); "country" is not allowed here',
        line: 1,
        column: 1,
      },
    ],
  ],
  [
    'count(click) + "x"',
    [
      {
        code: "EXP2201",
        message: 'A metric expression is arithmetic over aggregates such as count(event); "x" is not allowed here',
        line: 1,
        column: 16,
      },
    ],
  ],
  [
    "1 + 2",
    [
      {
        code: "EXP2208",
        message: "A metric expression needs at least one aggregate such as count(event) or sum(event.property)",
        line: 1,
        column: 1,
      },
    ],
  ],
  [
    "count(click where count(click) > 1)",
    [
      {
        code: "EXP2209",
        message: 'Aggregate "count(...)" cannot appear inside the "where" filter of another aggregate',
        line: 1,
        column: 19,
      },
    ],
  ],
  // the filter is a condition over the event's properties
  [
    "count(click where positon <= 5)",
    [
      {
        code: "EXP2103",
        message: 'Unknown property "positon" of event "click"; declare it under "events.click" in exp.yaml',
        line: 1,
        column: 19,
        suggestion: 'did you mean "position"?',
      },
    ],
  ],
  [
    "count(click where click.position > 1)",
    [
      {
        code: "EXP2103",
        message: 'Unknown property "click.position": inside "where", name properties of "click" directly',
        line: 1,
        column: 19,
        suggestion: 'write "position"',
      },
    ],
  ],
  [
    "count(click where position)",
    [{ code: "EXP2121", message: 'A condition must be true or false, but "position" is a number', line: 1, column: 19 }],
  ],
  [
    'sum(purchase.revenue where currency < "USD")',
    [{ code: "EXP2104", message: '"<" needs numbers, dates or versions, but "currency" is a string', line: 1, column: 28 }],
  ],
  [
    'count(click where country == "US")',
    [
      {
        code: "EXP2103",
        message: 'Unknown property "country" of event "click"; declare it under "events.click" in exp.yaml',
        line: 1,
        column: 19,
      },
    ],
  ],
];

describe("metric checks as data", () => {
  for (const [src, expected] of cases) {
    test(src, () => {
      const r = metricCheck(src);
      assert.deepEqual(r.rows, expected);
      assert.equal(r.kind, undefined, "no kind is derived for a metric with errors");
    });
  }
});

describe("metric kinds", () => {
  const kinds: [string, string, { numerator?: string; denominator?: string; quantile?: number }][] = [
    ["any(purchase)", "conversion", { numerator: "any(purchase)" }],
    ['any(purchase where currency == "USD")', "conversion", { numerator: 'any(purchase where currency == "USD")' }],
    [
      "any(app_open where days_since_exposure between 7 and 14)",
      "retention",
      { numerator: "any(app_open where days_since_exposure between 7 and 14)" },
    ],
    ["any(app_open where hours_since_exposure >= 24)", "retention", { numerator: "any(app_open where hours_since_exposure >= 24)" }],
    ["count(page_view)", "count", { numerator: "count(page_view)" }],
    ["sum(purchase.revenue)", "sum", { numerator: "sum(purchase.revenue)" }],
    ["sum(purchase.value)", "sum", { numerator: "sum(purchase.value)" }],
    ["mean(page_load.latency_ms)", "mean", { numerator: "mean(page_load.latency_ms)" }],
    ["min(page_load.latency_ms)", "min", { numerator: "min(page_load.latency_ms)" }],
    ["max(page_load.latency_ms)", "max", { numerator: "max(page_load.latency_ms)" }],
    ["count_distinct(purchase.currency)", "count_distinct", { numerator: "count_distinct(purchase.currency)" }],
    ["p50(page_load.latency_ms)", "quantile", { numerator: "p50(page_load.latency_ms)", quantile: 0.5 }],
    ["p90(page_load.latency_ms)", "quantile", { numerator: "p90(page_load.latency_ms)", quantile: 0.9 }],
    ["p95(page_load.latency_ms)", "quantile", { numerator: "p95(page_load.latency_ms)", quantile: 0.95 }],
    ["p99(page_load.latency_ms)", "quantile", { numerator: "p99(page_load.latency_ms)", quantile: 0.99 }],
    [
      "count(click where position <= 5) / count(impression)",
      "ratio",
      { numerator: "count(click where position <= 5)", denominator: "count(impression)" },
    ],
    ["sum(purchase.revenue) / count(page_view)", "ratio", { numerator: "sum(purchase.revenue)", denominator: "count(page_view)" }],
    ["p50(page_load.latency_ms) / p99(page_load.latency_ms)", "arithmetic", {}],
    ["sum(purchase.revenue) - sum(purchase.value)", "arithmetic", {}],
    ["100 * count(click) / count(impression)", "arithmetic", {}],
    ["count(click) / (count(click) - count(impression))", "arithmetic", {}],
    ["-count(click)", "arithmetic", {}],
  ];
  for (const [src, kind, parts] of kinds) {
    test(`${src} is ${kind}`, () => {
      const r = metricCheck(src);
      assert.deepEqual(r.rows, []);
      assert.equal(r.kind, kind);
      assert.equal(r.numerator && printExpr(r.numerator), parts.numerator);
      assert.equal(r.denominator && printExpr(r.denominator), parts.denominator);
      assert.equal(r.quantile, parts.quantile);
    });
  }
});
