/**
 * A strict parser of the Prometheus text exposition format 0.0.4, written from the format's
 * specification (https://prometheus.io/docs/instrumenting/exposition_formats/): it throws on the
 * first thing the format does not allow, so a test that parses /metrics fails on any slip.
 *
 * Checked: metric and label names; label values with only the `\\`, `\"` and `\n` escapes; HELP
 * escapes; one TYPE per family, before its samples; a family's lines in one group; no repeated
 * series; values as floats (NaN, +Inf, -Inf); histograms with an `le` per bucket, buckets
 * cumulative in ascending `le` ending at +Inf, and `_count` equal to the +Inf bucket.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("the exposition does not end with a line feed");
  const families = new Map<string, Family>();
  const closed = new Set<string>();
  let current: string | undefined;
  const seen = new Set<string>();
  const enter = (name: string) => {
    if (current === name) return;
    if (closed.has(name)) throw new Error(`the lines of "${name}" are not in one group`);
    if (current) closed.add(current);
    current = name;
  };
  const lines = text.slice(0, -1).split("\n");
  lines.forEach((line, i) => {
    const at = `line ${i + 1} ("${line}")`;
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!m) return; // another comment
      const [, kind, name, rest = ""] = m;
      if (!METRIC_NAME.test(name!)) throw new Error(`${at}: bad metric name`);
      enter(name!);
      const f = families.get(name!) ?? { name: name!, type: "untyped", samples: [] };
      families.set(name!, f);
      if (kind === "HELP") {
        if (f.help !== undefined) throw new Error(`${at}: a second HELP`);
        f.help = unescape(rest, false, at);
      } else {
        if (!TYPES.has(rest)) throw new Error(`${at}: unknown type "${rest}"`);
        if (f.samples.length > 0 || (f as { typed?: boolean }).typed) throw new Error(`${at}: TYPE after samples or twice`);
        (f as { typed?: boolean }).typed = true;
        f.type = rest;
      }
      return;
    }
    const sample = parseSample(line, at);
    const family = familyOf(sample.name, families);
    enter(family);
    const f = families.get(family) ?? { name: family, type: "untyped", samples: [] };
    families.set(family, f);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) throw new Error(`${at}: the series is repeated`);
    seen.add(key);
    f.samples.push(sample);
  });
  for (const f of families.values()) if (f.type === "histogram") checkHistogram(f);
  return families;
}

/** A histogram's `_bucket`, `_sum` and `_count` belong to it; anything else to its own name. */
function familyOf(name: string, families: Map<string, Family>): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m && families.get(m[1]!)?.type === "histogram") return m[1]!;
  return name;
}

function parseSample(line: string, at: string): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!m) throw new Error(`${at}: bad metric name`);
  const name = m[1]!;
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === "{") {
    i++;
    while (line[i] !== "}") {
      const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
      if (!ln || !LABEL_NAME.test(ln[0])) throw new Error(`${at}: bad label name`);
      i += ln[0].length;
      if (line.slice(i, i + 2) !== '="') throw new Error(`${at}: expected =" after label "${ln[0]}"`);
      i += 2;
      let raw = "";
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`${at}: unterminated label value`);
        if (c === '"') break;
        if (c === "\\") {
          raw += c + (line[i + 1] ?? "");
          i += 2;
          continue;
        }
        raw += c;
        i++;
      }
      i++;
      if (Object.hasOwn(labels, ln[0])) throw new Error(`${at}: label "${ln[0]}" twice`);
      labels[ln[0]] = unescape(raw, true, at);
      if (line[i] === ",") i++;
      else if (line[i] !== "}") throw new Error(`${at}: expected , or } after a label`);
    }
    i++;
  }
  const rest = line.slice(i);
  const v = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
  if (!v) throw new Error(`${at}: expected " value [timestamp]"`);
  return { name, labels, value: parseValue(v[1]!, at) };
}

function unescape(raw: string, quoteAllowed: boolean, at: string): string {
  return raw.replace(/\\(.?)/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === "n") return "\n";
    if (c === '"' && quoteAllowed) return '"';
    throw new Error(`${at}: the escape "\\${c}" is not allowed`);
  });
}

function parseValue(s: string, at: string): number {
  if (s === "NaN") return NaN;
  if (s === "+Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new Error(`${at}: "${s}" is not a float`);
  return Number(s);
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without "le"`);
      g.buckets.push([parseValue(le, f.name), s.value]);
    } else if (s.name === `${f.name}_count`) g.count = s.value;
    else if (s.name === `${f.name}_sum`) g.sum = s.value;
    else throw new Error(`${f.name}: "${s.name}" is not a histogram series`);
  }
  for (const [key, g] of groups) {
    const les = g.buckets.map(([le]) => le);
    if (les.at(-1) !== Infinity) throw new Error(`${f.name}${key}: no +Inf bucket last`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i]![0] > g.buckets[i - 1]![0])) throw new Error(`${f.name}${key}: buckets not in ascending le`);
      if (g.buckets[i]![1] < g.buckets[i - 1]![1]) throw new Error(`${f.name}${key}: buckets not cumulative`);
    }
    if (g.count === undefined || g.sum === undefined) throw new Error(`${f.name}${key}: no _count or _sum`);
    if (g.count !== g.buckets.at(-1)![1]) throw new Error(`${f.name}${key}: _count is not the +Inf bucket`);
  }
}
