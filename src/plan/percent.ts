/** How the plan's views write shares: a moved share with two decimals, a basis-point setting as the percent it means. */

/** A share of units (0.3 → "30.00%"), as the reassignment sentences and messages state it. */
export function share(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** Basis points as written in YAML (5000 → "50%", 1234 → "12.34%", 5 → "0.05%"). */
export function basisPoints(bp: number): string {
  return `${Number((bp / 100).toFixed(2))}%`;
}
