// Compares an `exp analyze --format json` document with a SciPy/statsmodels expected result.
// Estimates (means, variances, differences, lifts, θ, χ²) must agree to 1e-9 relative; p-values and
// interval bounds, which go through distribution tails, to 1e-7. Every key of the expected document
// must be present; `provenance` is not part of the reference.

export const ESTIMATE_TOLERANCE = 1e-9;
export const TAIL_TOLERANCE = 1e-7;

/** Keys whose numbers (or whose arrays of numbers) are p-values or interval bounds. */
const TAIL_KEYS = new Set(["p_value", "p_value_adjusted", "diff_ci", "rel_ci", "bound"]);
const IGNORED_KEYS = new Set(["provenance"]);

export interface Mismatch {
  path: string;
  got: unknown;
  expected: unknown;
  tolerance?: number;
}

export function tolerance(key: string, inherited: number): number {
  return TAIL_KEYS.has(key) ? TAIL_TOLERANCE : inherited;
}

/** Every mismatch in document order; the first one is the one to report. */
export function compareToReference(
  actual: unknown,
  expected: unknown,
  path = "$",
  tol = ESTIMATE_TOLERANCE,
  out: Mismatch[] = [],
): Mismatch[] {
  if (typeof expected === "number") {
    if (typeof actual !== "number") out.push({ path, got: actual, expected });
    else {
      const scale = Math.max(Math.abs(expected), 1e-300);
      if (!(Math.abs(actual - expected) <= tol * scale)) out.push({ path, got: actual, expected, tolerance: tol });
    }
    return out;
  }
  if (expected === null || typeof expected !== "object") {
    if (actual !== expected) out.push({ path, got: actual, expected });
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push({ path, got: Array.isArray(actual) ? `array of ${actual.length}` : actual, expected: `array of ${expected.length}` });
      return out;
    }
    expected.forEach((e, i) => compareToReference(actual[i], e, `${path}[${i}]`, tol, out));
    return out;
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
    out.push({ path, got: actual, expected: "an object" });
    return out;
  }
  for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
    if (IGNORED_KEYS.has(key)) continue;
    const child = `${path}.${key}`;
    if (!(key in (actual as Record<string, unknown>))) out.push({ path: child, got: "(missing)", expected: value });
    else compareToReference((actual as Record<string, unknown>)[key], value, child, tolerance(key, tol), out);
  }
  return out;
}

export function describeMismatches(ms: Mismatch[]): string {
  const shown = ms.slice(0, 5).map((m) => {
    const rel =
      typeof m.got === "number" && typeof m.expected === "number" && m.expected !== 0
        ? ` (relative error ${Math.abs(m.got - m.expected) / Math.abs(m.expected)}, tolerance ${m.tolerance})`
        : "";
    return `${m.path}: got ${JSON.stringify(m.got)}, expected ${JSON.stringify(m.expected)}${rel}`;
  });
  return `${ms.length} mismatch(es); first: ${shown.join("\n  ")}`;
}
