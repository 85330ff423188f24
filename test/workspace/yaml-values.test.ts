import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SourceFile } from "../../src/diagnostics/source.js";
import { parseYamlTree } from "../../src/workspace/yaml-tree.js";

function tree(text: string) {
  const t = parseYamlTree(new SourceFile("x.yaml", text));
  return {
    value: t.value as Record<string, any>,
    diagnostics: t.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}`),
  };
}

describe("YAML keys are only names", () => {
  test("mappings have no prototype, so constructor and toString are the file's own keys or absent", () => {
    const t = tree("a: {constructor: 1}\nb: {}\n");
    assert.deepEqual(t.diagnostics, []);
    assert.equal(Object.getPrototypeOf(t.value), null);
    assert.equal(t.value.a.constructor, 1);
    assert.equal(t.value.b.constructor, undefined);
    assert.equal(t.value.b.toString, undefined);
    assert.equal(t.value.b.hasOwnProperty, undefined);
  });

  test("__proto__ is refused wherever it appears, and never becomes a prototype", () => {
    const t = tree("experiment: x\n__proto__: {status: running}\nvariants:\n  control:\n    config: {__proto__: {polluted: true}}\n");
    assert.deepEqual(t.diagnostics, [
      'EXP1014 2:1 the key "__proto__" is not allowed in workspace files; rename it',
      'EXP1014 5:14 the key "__proto__" in "variants.control.config" is not allowed in workspace files; rename it',
    ]);
    assert.equal(t.value.status, undefined);
    assert.equal(Object.getPrototypeOf(t.value), null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(t.value.variants.control.config), []);
  });
});

describe("numbers are finite and exact", () => {
  test("infinities, NaN, overflowing literals and whole numbers past 2^53 are reported at their value", () => {
    const t = tree("a: .inf\nb: -.Inf\nc: .nan\nd: 1e400\ne: 9007199254740993\nf: 0x20000000000001\n");
    assert.deepEqual(
      t.diagnostics.map((d) => d.slice(0, 13)),
      ['EXP1026 1:4 "', 'EXP1026 2:4 "', 'EXP1026 3:4 "', 'EXP1026 4:4 "', 'EXP1026 5:4 "', 'EXP1026 6:4 "'],
    );
    assert.match(t.diagnostics[3]!, /"d" is 1e400, which is infinite/);
  });

  test("2^53 - 1, decimals and large decimals that are not whole stay valid", () => {
    const t = tree("a: 9007199254740991\nb: -9007199254740991\nc: 0.1\nd: 1.5e-300\ne: '12345678901234567891'\n");
    assert.deepEqual(t.diagnostics, []);
  });
});
