import { mulberry32 } from "../helpers/prng.js";
/** Deterministic random units and attributes for agreement and statistical tests. */
export const rng = mulberry32;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./@";

export function randomUnit(r: () => number, i: number): string {
  const k = r();
  if (k < 0.001) return "";
  if (k < 0.002) return pick(r, ["user_42", "user_77"]);
  if (k < 0.5) return `user_${i}`;
  let s = "";
  const n = 1 + Math.floor(r() * 24);
  for (let j = 0; j < n; j++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

export function randomAttributes(r: () => number): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  const maybe = (p: number, key: string, value: () => unknown) => {
    if (r() < p) a[key] = value();
  };
  maybe(0.9, "country", () => pick(r, ["US", "US", "CA", "DE", "FR", "XX", "us"]));
  maybe(0.9, "platform", () => pick(r, ["web", "ios", "android"]));
  maybe(0.8, "app_version", () =>
    pick(r, [
      "1.9.9",
      "2.0.0",
      "2.0.0-beta.1",
      "2.1.3",
      "10.0.0",
      "v2.5.0",
      "3.0.0-rc.2",
      "1.0.0",
      "5.2.0",
      "5.10.1",
      "5.2.0-beta.1",
      "6.0.0",
    ]),
  );
  maybe(0.7, "loyalty_tier", () => pick(r, ["none", "silver", "gold"]));
  maybe(0.6, "is_employee", () => r() < 0.1);
  maybe(0.8, "account_age_days", () => Math.floor(r() * 800));
  maybe(
    0.7,
    "email",
    () => `${pick(r, ["ann", "test_bob", "cy", "tester"])}@${pick(r, ["corp.example", "mail.example", "corp.example.org"])}`,
  );
  return a;
}
