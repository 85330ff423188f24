import type { AttributeType, PropertyType } from "../workspace/model.js";
import type { Random } from "./random.js";

/**
 * Realistic values for a shop's unit attributes and event properties, chosen by declared type and,
 * where the name says more (country, revenue, latency_ms), by name. Only the demo uses this.
 */
const COUNTRIES = ["US", "CA", "GB", "DE", "FR", "MX", "BR", "JP"];
const COUNTRY_WEIGHTS = [40, 12, 10, 9, 8, 8, 7, 6];
const VERSIONS = ["4.9.0", "5.0.1", "5.2.0", "5.3.1", "6.0.0"];

export function attributeValue(name: string, type: AttributeType, rng: Random, dayMs: number, now: number): unknown {
  if (typeof type === "object")
    return rng.pick(
      type.enum,
      type.enum.map((_, i) => (i === 0 ? 3 : 2)),
    );
  switch (type) {
    case "string":
      return name.includes("country") ? rng.pick(COUNTRIES, COUNTRY_WEIGHTS) : rng.pick(["a", "b", "c"]);
    case "semver":
      return rng.pick(VERSIONS, [1, 2, 3, 4, 3]);
    case "boolean":
      return name.includes("employee") ? rng.next() < 0.01 : rng.next() < 0.5;
    case "date":
      return new Date(now - rng.int(1, 730) * dayMs).toISOString().slice(0, 10);
    case "number":
      return name.includes("age") ? rng.int(0, 1500) : Math.round(rng.next() * 100);
  }
}

/** Expected events per active unit and day, by event name; other events get a modest default. */
export function baseRate(event: string): number {
  const known: Record<string, number> = {
    page_view: 0.3,
    purchase: 0.02,
    impression: 0.3,
    click: 0.05,
    page_load: 0.25,
    app_open: 0.1,
    search: 0.15,
    add_to_cart: 0.05,
    checkout_error: 0.004,
    recommendation_click: 0.04,
    session_start: 0.2,
  };
  return known[event] ?? 0.2;
}

export function propertyValue(name: string, type: PropertyType, rng: Random): unknown {
  switch (type) {
    case "number":
      if (name.includes("revenue") || name.includes("amount")) return Math.round(rng.lognormal(3.6, 0.7) * 100) / 100;
      if (name.includes("latency") || name.endsWith("_ms")) return Math.round(rng.lognormal(6.6, 0.45));
      if (name.includes("position") || name.includes("rank")) return rng.int(1, 11);
      return Math.round(rng.next() * 1000) / 10;
    case "string":
      return name.includes("currency") ? rng.pick(["USD", "EUR", "GBP"], [6, 3, 1]) : rng.pick(["a", "b", "c"]);
    case "boolean":
      return rng.next() < 0.5;
    case "date":
      return "2026-11-01";
  }
}
