/**
 * ∫ exp(logF(x)) dx for a log-concave integrand, returned as a logarithm so that probabilities far
 * below the smallest double stay exact in relative terms. Every posterior integral of the engine
 * has this shape (a Beta or normal density times CDFs and survival functions of other Beta or
 * normal laws; products of log-concave functions are log-concave), so the integrand has one mode:
 * it is found by golden-section search on log F, the integration range is where log F is within
 * `DROP` of its maximum, and adaptive Gauss–Kronrod (7/15) integrates exp(log F − max) there.
 * This works whether the posterior spreads over [0, 1] (ten units) or over 1e-4 of it (ten million).
 */

const DROP = 60; // e^−60 ≈ 1e−26 of the peak: the truncated tails cannot reach the tolerance.
const RELATIVE_TOLERANCE = 1e-12;
const MAX_INTERVALS = 400;

const GOLDEN = (Math.sqrt(5) - 1) / 2;

// Gauss–Kronrod 7/15 nodes and weights (QUADPACK qk15).
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.58608723546769113029414483825873, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975,
  0.417959183673469387755102040816327,
];

interface Piece {
  readonly a: number;
  readonly b: number;
  readonly value: number;
  readonly error: number;
}

function kronrod(f: (x: number) => number, a: number, b: number): Piece {
  const c = (a + b) / 2;
  const h = (b - a) / 2;
  const fc = f(c);
  const values: [number, number][] = [];
  let k = fc * WGK[7]!;
  let g = fc * WG[3]!;
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j]!;
    const pair: [number, number] = [f(c - dx), f(c + dx)];
    values.push(pair);
    k += WGK[j]! * (pair[0] + pair[1]);
    if (j % 2 === 1) g += WG[(j - 1) / 2]! * (pair[0] + pair[1]);
  }
  // QUADPACK's error estimate: |K15 − G7| scaled by the variation of f over the piece, which is
  // far less pessimistic than |K15 − G7| for the smooth integrands here.
  const mean = k / 2;
  let variation = WGK[7]! * Math.abs(fc - mean);
  values.forEach(([l, r], j) => (variation += WGK[j]! * (Math.abs(l - mean) + Math.abs(r - mean))));
  variation *= Math.abs(h);
  let error = Math.abs((k - g) * h);
  if (variation > 0 && error > 0) error = variation * Math.min(1, (200 * error) / variation) ** 1.5;
  error = Math.max(error, 50 * Number.EPSILON * Math.abs(k * h));
  return { a, b, value: k * h, error };
}

/** The maximiser of a concave function on [lo, hi] (golden section after a coarse scan). */
function mode(logF: (x: number) => number, lo: number, hi: number): number {
  const scan = 64;
  let best = -Infinity;
  let at = scan / 2;
  for (let i = 1; i < scan; i++) {
    const x = lo + ((hi - lo) * i) / scan;
    const v = logF(x);
    if (v > best) {
      best = v;
      at = i;
    }
  }
  if (best === -Infinity) return (lo + hi) / 2;
  let a = lo + ((hi - lo) * (at - 1)) / scan;
  let b = lo + ((hi - lo) * (at + 1)) / scan;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = logF(c);
  let fd = logF(d);
  for (let i = 0; i < 200 && b - a > 1e-15 * Math.max(Math.abs(a), Math.abs(b), 1e-300); i++) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = logF(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = logF(d);
    }
  }
  return (a + b) / 2;
}

/** How far from the mode (towards `edge`) log F has dropped by DROP, by doubling steps. */
function reach(logF: (x: number) => number, m: number, top: number, edge: number): number {
  const span = edge - m;
  if (span === 0) return m;
  let step = span * 1e-15;
  while (Math.abs(step) < Math.abs(span)) {
    if (!(logF(m + step) > top - DROP)) return m + step;
    step *= 2;
  }
  return edge;
}

/** log ∫_lo^hi exp(logF(x)) dx for log-concave F; −Infinity when F vanishes on the interval. */
export function logIntegralOfLogConcave(logF: (x: number) => number, lo: number, hi: number): number {
  if (!(hi > lo)) return -Infinity;
  const m = mode(logF, lo, hi);
  const top = logF(m);
  if (!Number.isFinite(top)) return top === Infinity ? Infinity : -Infinity;
  const left = reach(logF, m, top, lo);
  const right = reach(logF, m, top, hi);
  const f = (x: number): number => {
    const v = logF(x) - top;
    return v > -745 ? Math.exp(v) : 0;
  };
  // Start from pieces that put the mode on a boundary, so the peak is always sampled.
  const pieces: Piece[] = [];
  for (const [a, b] of [
    [left, m],
    [m, right],
  ] as const) {
    if (b > a) for (let j = 0; j < 4; j++) pieces.push(kronrod(f, a + ((b - a) * j) / 4, a + ((b - a) * (j + 1)) / 4));
  }
  for (;;) {
    let total = 0;
    let error = 0;
    let worst = 0;
    pieces.forEach((p, i) => {
      total += p.value;
      error += p.error;
      if (p.error > pieces[worst]!.error) worst = i;
    });
    const p = pieces[worst]!;
    const mid = (p.a + p.b) / 2;
    if (error <= RELATIVE_TOLERANCE * total || pieces.length >= MAX_INTERVALS || !(mid > p.a && mid < p.b)) {
      return top + Math.log(total);
    }
    pieces.splice(worst, 1, kronrod(f, p.a, mid), kronrod(f, mid, p.b));
  }
}
