/**
 * The one grammar and order of semantic versions in exp: the runtime's comparisons, the plan's
 * satisfiability checks and the language's `semver("…")` literal check all use this module, so they
 * cannot disagree on what a version is. It imports nothing (the runtime is bundled for browsers).
 *
 * The grammar is SemVer 2.0.0 (https://semver.org): three numeric parts without leading zeros, an
 * optional pre-release of dot-separated identifiers (numeric ones without leading zeros), optional
 * build metadata. One addition: a lowercase "v" prefix, as git tags write versions, is accepted and
 * ignored (node-semver and flagd's sem_ver accept it too, so exported flags agree). Nothing else is
 * forgiven: no surrounding whitespace, no "V", no missing parts.
 */

/** A parsed version. Numeric parts stay digit strings so that versions beyond 2^53 still order exactly. */
export interface Semver {
  major: string;
  minor: string;
  patch: string;
  /** Pre-release identifiers; empty for a release. Build metadata is not kept: it never affects order. */
  pre: string[];
}

const NUMERIC = "0|[1-9]\\d*";
const PRE_ID = `(?:${NUMERIC}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const BUILD_ID = "[0-9A-Za-z-]+";
const PATTERN = new RegExp(
  `^v?(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?$`,
);
const DIGITS = /^\d+$/;

/** The version a value spells, or undefined when it is not a string in the grammar above. */
export function parseSemver(text: unknown): Semver | undefined {
  if (typeof text !== "string") return undefined;
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  return { major: m[1]!, minor: m[2]!, patch: m[3]!, pre: m[4] === undefined ? [] : m[4].split(".") };
}

export function isSemver(text: string): boolean {
  return PATTERN.test(text);
}

/** SemVer 2.0.0 precedence as -1, 0 or 1; build metadata is ignored, so "1.0.0+a" equals "1.0.0". */
export function compareSemver(a: Semver, b: Semver): number {
  const core = compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (core !== 0) return core;
  // A release ranks above its pre-releases.
  if (a.pre.length === 0 || b.pre.length === 0) return Math.sign(b.pre.length - a.pre.length);
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (x === y) continue;
    const nx = DIGITS.test(x);
    const ny = DIGITS.test(y);
    if (nx && ny) return compareDigits(x, y);
    // Numeric identifiers rank below alphanumeric ones; alphanumeric ones compare in ASCII order.
    if (nx) return -1;
    if (ny) return 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.pre.length - b.pre.length);
}

/** Orders two digit strings without leading zeros as the numbers they spell. */
function compareDigits(x: string, y: string): number {
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x === y ? 0 : x < y ? -1 : 1;
}
