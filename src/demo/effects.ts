import type { PlantedEffect } from "./generate.js";
import type { PlantedPreference } from "./interleaving.js";

/**
 * The effects planted in the demo data for the example workspace, and what the analysis must find.
 * Each is chosen to be unmistakable at the default scale, so the demo doubles as an end-to-end check.
 */
export const DEMO_EFFECTS: PlantedEffect[] = [
  // A real lift: the one-page checkout makes purchases 25% more likely.
  { experiment: "checkout_redesign", variant: "one_page", event: "purchase", rate: 1.25 },
  // A guardrail regression: the v2 ranker is slower; p95 page load grows ~20%, past its 5% margin.
  { experiment: "search_ranker_v2", variant: "ranker_v2", event: "page_load", property: "latency_ms", factor: 1.2 },
];

/** Interleaved sessions in which the two-tower ranker's items are clicked 40% more often than collaborative filtering's. */
export const DEMO_PREFERENCE: PlantedPreference = {
  experiment: "recs_interleaving",
  clickEvent: "recommendation_click",
  itemProperty: "item_id",
  clickRate: { collab_filter: 0.1, two_tower: 0.14 },
  sessions: 6000,
  listsPerSession: 2,
};

/** Logging loss in one arm: the sample-ratio mismatch the analysis must flag. */
export const DEMO_SRM = { experiment: "landing_page_split", variant: "gift_guide", dropShare: 0.12 };

export interface Expectation {
  experiment: string;
  what: string;
  /** Checks the analysis JSON; returns whether the planted effect was found. */
  holds(analysis: {
    srm: { ok: boolean };
    metrics: { metric: string; comparisons: { significant: boolean; diff: number | null }[] }[];
    guardrails: { metric: string; breached: boolean }[];
    interleaving?: { winner: string | null };
  }): boolean;
}

export const DEMO_EXPECTATIONS: Expectation[] = [
  {
    experiment: "checkout_redesign",
    what: "purchase_conversion lift is significant",
    holds: (a) =>
      a.metrics.some((m) => m.metric === "purchase_conversion" && m.comparisons.some((c) => c.significant && (c.diff ?? 0) > 0)),
  },
  {
    experiment: "checkout_redesign",
    what: "avg_order_value (no planted effect) is not significant",
    holds: (a) => a.metrics.some((m) => m.metric === "avg_order_value" && m.comparisons.every((c) => !c.significant)),
  },
  {
    experiment: "search_ranker_v2",
    what: "p95_page_load guardrail is flagged",
    holds: (a) => a.guardrails.some((g) => g.metric === "p95_page_load" && g.breached),
  },
  {
    experiment: "landing_page_split",
    what: "sample-ratio mismatch is flagged",
    holds: (a) => !a.srm.ok,
  },
  {
    experiment: "recs_interleaving",
    what: "two_tower is the preferred ranker",
    holds: (a) => a.interleaving?.winner === "two_tower",
  },
];
