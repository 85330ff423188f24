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
  // A slice with a different effect: on Android the one-page checkout lifts purchases far more.
  { experiment: "checkout_redesign", variant: "one_page", event: "purchase", rate: 1.6, when: { attribute: "platform", value: "android" } },
  // A group harmed beyond the fairness margin: the v2 ranker makes gold members buy less.
  {
    experiment: "search_ranker_v2",
    variant: "ranker_v2",
    event: "purchase",
    rate: 0.6,
    when: { attribute: "loyalty_tier", value: "gold" },
  },
];

/** The cumulative effect of what shipped: users outside the long-term holdout purchase 60% more often (the holdout has only 2% of units, so the effect is planted large enough to be unmistakable). */
export const DEMO_HOLDOUT = { holdout: "global_2026", event: "purchase", rate: 1.6, metric: "purchase_conversion" };
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

/**
 * An off-policy log for the example's evaluation: decisions logged under the current search ranker,
 * with a target policy (the v2 ranker) whose click-through is higher by construction.
 */
export const DEMO_OFF_POLICY = { evaluation: "search_ranker_offline", decisions: 20_000, contexts: 400, actions: 5 };

export interface Expectation {
  experiment: string;
  what: string;
  /** Checks the analysis JSON; returns whether the planted effect was found. */
  holds(analysis: {
    srm: { ok: boolean };
    metrics: {
      metric: string;
      comparisons: {
        significant: boolean;
        diff: number | null;
        cuped?: { variance_reduction?: number | null; single_covariate_reduction?: number | null };
      }[];
    }[];
    guardrails: { metric: string; breached: boolean }[];
    off_policy?: { evaluation: string; estimates: { estimator: string; diff_ci: [number | null, number | null] }[] }[];
    dimensions?: { dimension: string; heterogeneity: { metric: string; significant: boolean }[] }[];
    fairness?: { breached: boolean; metrics: { metric: string; variants: { groups: { group: string; status: string }[] }[] }[] };
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
    experiment: "checkout_redesign",
    what: "purchase_conversion effect differs between platforms (heterogeneity)",
    holds: (a) =>
      a.dimensions?.some(
        (d) => d.dimension === "platform" && d.heterogeneity.some((h) => h.metric === "purchase_conversion" && h.significant),
      ) ?? false,
  },
  {
    experiment: "search_ranker_v2",
    what: "fairness guardrail flags the gold loyalty tier",
    holds: (a) =>
      a.fairness?.breached === true &&
      a.fairness.metrics.some((m) => m.variants.some((v) => v.groups.some((g) => g.group === "gold" && g.status === "breached"))),
  },
  {
    experiment: "landing_page_split",
    what: "sample-ratio mismatch is flagged",
    holds: (a) => !a.srm.ok,
  },
  {
    experiment: "search_ranker_v2",
    what: "off-policy evaluation finds the target ranker better (doubly robust, CI above 0)",
    holds: (a) =>
      a.off_policy?.some(
        (e) => e.evaluation === DEMO_OFF_POLICY.evaluation && (e.estimates.find((x) => x.estimator === "dr")?.diff_ci[0] ?? 0) > 0,
      ) ?? false,
  },
  {
    experiment: `holdout-${DEMO_HOLDOUT.holdout}`,
    what: `users outside holdout ${DEMO_HOLDOUT.holdout} convert significantly more`,
    holds: (a) =>
      a.srm.ok && a.metrics.some((m) => m.metric === DEMO_HOLDOUT.metric && m.comparisons.some((c) => c.significant && (c.diff ?? 0) > 0)),
  },
  {
    // Purchases are rare, so a user's pre-period revenue says little about their activity; their page
    // views say much more (both follow the same activity level in generate.ts).
    experiment: "checkout_redesign",
    what: "revenue_per_user's covariates (page views, conversion) remove more variance than its own pre-period alone",
    holds: (a) =>
      a.metrics.some(
        (m) =>
          m.metric === "revenue_per_user" &&
          m.comparisons.every((c) => (c.cuped?.variance_reduction ?? 0) > (c.cuped?.single_covariate_reduction ?? 1) + 0.02),
      ),
  },
  {
    experiment: "recs_interleaving",
    what: "two_tower is the preferred ranker",
    holds: (a) => a.interleaving?.winner === "two_tower",
  },
];
