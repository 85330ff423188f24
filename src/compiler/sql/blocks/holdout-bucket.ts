import type { DialectName } from "../dialect.js";

/**
 * docs/hashing.md in SQL: bucket(seed, unit) = (murmur3_x86_32(utf8(seed + "/" + unit), 0) · 10000) >> 32,
 * so that the warehouse can tell which units a holdout holds (bucket < its traffic in basis points)
 * without a holdout column. Only integer arithmetic on BIGINT: a 32-bit product is split in 16-bit
 * halves (< 2^48 each) so that it never overflows, which keeps the result exact in every engine.
 *
 * The engines differ only in how they read the i-th UTF-8 byte of a string and spell XOR; an engine
 * not listed here has no bucket function (the caller reports that).
 */
interface ByteAccess {
  /** Number of UTF-8 bytes of `s`. */
  length(s: string): string;
  /** The byte at 0-based `i` (an SQL integer expression) as BIGINT. */
  byte(s: string, i: string): string;
  xor(a: string, b: string): string;
}

const BYTES: Partial<Record<DialectName, ByteAccess>> = {
  duckdb: {
    length: (s) => `CAST(octet_length(encode(${s})) AS BIGINT)`,
    byte: (s, i) => `CAST(('0x' || substr(hex(encode(${s})), CAST(2 * (${i}) + 1 AS INTEGER), 2)) AS BIGINT)`,
    xor: (a, b) => `xor(${a}, ${b})`,
  },
  postgres: {
    length: (s) => `CAST(octet_length(convert_to(${s}, 'UTF8')) AS BIGINT)`,
    byte: (s, i) => `CAST(get_byte(convert_to(${s}, 'UTF8'), CAST(${i} AS INTEGER)) AS BIGINT)`,
    xor: (a, b) => `(${a} # ${b})`,
  },
};

export function hasBucketSql(dialect: DialectName): boolean {
  return BYTES[dialect] !== undefined;
}

const M32 = "4294967295";
/** (a · c) mod 2^32 for a < 2^32 and a constant c < 2^32. */
const mul32 = (a: string, c: number) => `((${a} * ${c & 0xffff} + (((${a} * ${c >>> 16}) & 65535) << 16)) & ${M32})`;
const rotl = (x: string, r: number) => `(((${x} << ${r}) & ${M32}) | (${x} >> ${32 - r}))`;
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * CTEs (for a `WITH RECURSIVE` query) that read `input(unit_id, s)` — s the string to hash — and end
 * in `${name}(unit_id, bucket)`. The blocks' mixing runs as plain layers; only the fold of the running
 * hash over the blocks recurses, one step per 4-byte block.
 */
export function bucketCtes(dialect: DialectName, input: string, name: string): string[] {
  const b = BYTES[dialect]!;
  const p = `${name}_`;
  const bytes = (s: string, at: (j: number) => string, count: number) =>
    Array.from({ length: count }, (_, j) => `(${b.byte(s, at(j))} << ${8 * j})`).join(" + ");
  const mixK = (from: string, out: string, keep: string) => [
    `${out}1 AS (SELECT ${keep}, ${mul32("k", C1)} AS k FROM ${from})`,
    `${out}2 AS (SELECT ${keep}, ${rotl("k", 15)} AS k FROM ${out}1)`,
    `${out}3 AS (SELECT ${keep}, ${mul32("k", C2)} AS k FROM ${out}2)`,
  ];
  const step = (h: string, k: string) => `((${mul32(rotl(b.xor(h, k), 13), 5)} + 3864292196) & ${M32})`;
  const tail = [0, 1, 2]
    .map((j) => `CASE WHEN (i.len & 3) > ${j} THEN (${b.byte("i.s", `i.len - (i.len & 3) + ${j}`)} << ${8 * j}) ELSE 0 END`)
    .join(" + ");
  return [
    `${p}input AS (SELECT unit_id, s, ${b.length("s")} AS len FROM ${input})`,
    `${p}numbers AS (SELECT CAST(0 AS BIGINT) AS j UNION ALL SELECT j + 1 FROM ${p}numbers WHERE j + 1 < (SELECT MAX(len) >> 2 FROM ${p}input))`,
    `${p}words AS (SELECT i.unit_id, n.j, ${bytes("i.s", (j) => `4 * n.j + ${j}`, 4)} AS k FROM ${p}input AS i JOIN ${p}numbers AS n ON 4 * n.j + 4 <= i.len)`,
    ...mixK(`${p}words`, `${p}blocks`, "unit_id, j"),
    `${p}fold AS (SELECT unit_id, CAST(0 AS BIGINT) AS j, CAST(0 AS BIGINT) AS h FROM ${p}input UNION ALL SELECT f.unit_id, f.j + 1, ${step("f.h", "w.k")} FROM ${p}fold AS f JOIN ${p}blocks3 AS w ON w.unit_id = f.unit_id AND w.j = f.j)`,
    `${p}tail AS (SELECT i.unit_id, i.len, f.h, ${tail} AS k FROM ${p}input AS i JOIN ${p}fold AS f ON f.unit_id = i.unit_id AND f.j = i.len >> 2)`,
    ...mixK(`${p}tail`, `${p}tailk`, "unit_id, len, h"),
    `${p}f1 AS (SELECT unit_id, ${b.xor(b.xor("h", "k"), "len")} AS h FROM ${p}tailk3)`,
    `${p}f2 AS (SELECT unit_id, ${mul32(b.xor("h", "(h >> 16)"), 0x85ebca6b)} AS h FROM ${p}f1)`,
    `${p}f3 AS (SELECT unit_id, ${mul32(b.xor("h", "(h >> 13)"), 0xc2b2ae35)} AS h FROM ${p}f2)`,
    `${name} AS (SELECT unit_id, (${b.xor("h", "(h >> 16)")} * 10000) >> 32 AS bucket FROM ${p}f3)`,
  ];
}
