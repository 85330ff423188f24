/** log Γ and log B in double precision: Stirling's series after shifting the argument up to 15. */

const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

export function stirlingSeries(y: number): number {
  const inv = 1 / y;
  const inv2 = inv * inv;
  let series = 0;
  let power = inv;
  for (const c of STIRLING) {
    series += c * power;
    power *= inv2;
  }
  return series;
}

export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  let shift = 0;
  let y = x;
  // Shift up until Stirling's series is accurate to double precision.
  while (y < 15) {
    shift += Math.log(y);
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + 0.5 * Math.log(2 * Math.PI) + stirlingSeries(y) - shift;
}

/**
 * log B(a, b). When one argument is large, log Γ(a) − log Γ(a + b) is taken from the difference of
 * the Stirling expansions, which avoids cancelling two huge logarithms.
 */
export function logBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 30) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const sum = big + small;
  const diff = -(big - 0.5) * Math.log1p(small / big) - small * Math.log(sum) + small + stirlingSeries(big) - stirlingSeries(sum);
  return logGamma(small) + diff;
}
