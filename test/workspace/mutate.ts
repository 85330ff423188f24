import { mulberry32 } from "../helpers/prng.js";
/** Random damage to workspace files for the fuzz tests: a small seeded generator and a list of mutations. */
export const rng = mulberry32;

const SNIPPETS = [
  "\t",
  '"',
  "'",
  ":",
  ": ",
  "{",
  "}",
  "[",
  "]",
  "- ",
  "#",
  "&a ",
  "*a",
  "---\n",
  "%",
  "\n  ",
  "0",
  "-1",
  "null",
  "~",
  "!!str ",
  "|",
  ">",
  "on",
  "yes",
  "0x1F",
  "1e309",
  'segment("x")',
  " and ",
  "==",
];

export function mutate(bytes: Uint8Array, random: () => number): { bytes: Uint8Array; what: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  let text = Buffer.from(bytes).toString("utf8");
  const lines = text.split("\n");
  const at = () => Math.floor(random() * Math.max(1, text.length));
  const li = () => Math.floor(random() * lines.length);
  const kind = Math.floor(random() * 10);
  switch (kind) {
    case 0: {
      const i = li();
      lines.splice(i, 1);
      return { bytes: Buffer.from(lines.join("\n")), what: `delete line ${i + 1}` };
    }
    case 1: {
      const i = li();
      lines.splice(i, 0, lines[i]!);
      return { bytes: Buffer.from(lines.join("\n")), what: `duplicate line ${i + 1}` };
    }
    case 2: {
      const i = li();
      const j = li();
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return { bytes: Buffer.from(lines.join("\n")), what: `swap lines ${i + 1} and ${j + 1}` };
    }
    case 3: {
      const i = at();
      const c = String.fromCharCode(32 + Math.floor(random() * 95));
      text = text.slice(0, i) + c + text.slice(i + 1);
      return { bytes: Buffer.from(text), what: `flip char ${i} to ${JSON.stringify(c)}` };
    }
    case 4:
    case 5: {
      const i = at();
      const s = pick(SNIPPETS);
      return { bytes: Buffer.from(text.slice(0, i) + s + text.slice(i)), what: `insert ${JSON.stringify(s)} at ${i}` };
    }
    case 6: {
      const n = Math.floor(random() * bytes.length);
      return { bytes: bytes.subarray(0, n), what: `truncate to ${n} bytes` };
    }
    case 7: {
      const out = Buffer.from(bytes);
      const i = Math.floor(random() * Math.max(1, out.length));
      const bad = pick([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xf8]);
      const res = Buffer.concat([out.subarray(0, i), Buffer.from([bad]), out.subarray(i)]);
      return { bytes: res, what: `insert byte 0x${bad.toString(16)} at ${i}` };
    }
    case 8: {
      // Rename a word: typos in keys and references.
      const words = [...text.matchAll(/[a-z_]{3,}/g)];
      if (!words.length) return { bytes, what: "no-op" };
      const w = pick(words);
      const s = w[0];
      const typo = s.length > 3 ? s.slice(0, 1) + s.slice(2, 3) + s.slice(1, 2) + s.slice(3) : `${s}x`;
      return { bytes: Buffer.from(text.slice(0, w.index) + typo + text.slice(w.index! + s.length)), what: `typo ${s} → ${typo}` };
    }
    default: {
      const i = li();
      lines[i] = lines[i]!.replace(/^( *)/, (m) => (random() < 0.5 ? m.slice(2) : `${m}  `));
      return { bytes: Buffer.from(lines.join("\n")), what: `reindent line ${i + 1}` };
    }
  }
}
