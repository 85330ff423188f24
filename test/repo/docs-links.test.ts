import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

// The user documentation is the product's contract and code comments point into it, so its links must
// lead somewhere: every relative link names a file of the repository, and every #anchor a heading of it.

const ROOT = new URL("../../", import.meta.url).pathname;
const PAGES = [
  join(ROOT, "README.md"),
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(ROOT, "docs", f)),
];

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^```[\s\S]*?^```/gm, "");
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

test("every relative link and anchor in README.md and docs/ resolves", () => {
  const broken: string[] = [];
  for (const page of PAGES) {
    const text = readFileSync(page, "utf8").replace(/^```[\s\S]*?^```/gm, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split("#") as [string, string | undefined];
      const file = path === "" ? page : join(dirname(page), path);
      const where = `${relative(ROOT, page)} → ${target}`;
      if (!existsSync(file)) broken.push(`${where}: no such file`);
      else if (anchor !== undefined && (statSync(file).isDirectory() || !anchors(readFileSync(file, "utf8")).has(anchor)))
        broken.push(`${where}: no such heading`);
    }
  }
  assert.deepEqual(broken, []);
});
