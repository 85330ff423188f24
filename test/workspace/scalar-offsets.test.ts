import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SourceFile } from "../../src/diagnostics/source.js";
import { scalarOrigin } from "../../src/workspace/scalar-offsets.js";
import { parseYamlTree } from "../../src/workspace/yaml-tree.js";

/** For every character of the scalar's value that is not produced by folding or escapes, the mapped offset holds that same character. */
function check(yaml: string, path: string, probes: string[]) {
  const file = new SourceFile("t.yaml", yaml);
  const tree = parseYamlTree(file);
  assert.deepEqual(tree.diagnostics, []);
  const value = (tree.value as Record<string, string>)[path]!;
  const origin = scalarOrigin(file, tree.nodes.get(path));
  for (const probe of probes) {
    const i = value.indexOf(probe);
    assert.ok(i >= 0, `${probe} in ${JSON.stringify(value)}`);
    const off = origin.toFileOffset(i);
    assert.equal(yaml.slice(off, off + probe.length), probe, `${probe} maps to ${off}`);
  }
  return { value, origin, file };
}

describe("expression offsets inside YAML scalars", () => {
  test("plain", () => void check('when: country == "US" and is_employee\n', "when", ["country", '"US"', "is_employee"]));
  test("plain over several lines", () => void check('when: is_employee\n  or contry == "XX"\n', "when", ["is_employee", "contry", '"XX"']));
  test("single-quoted with a doubled quote", () =>
    void check("when: 'lower(name) == \"it''s\" and contry == \"x\"'\n", "when", ["lower", "contry", '"x"']));
  test("double-quoted with escapes", () => {
    const { value, origin } = check('when: "country == \\"US\\" and \\u00e9x == 1 and contry == \\"CA\\""\n', "when", [
      "country",
      "contry",
    ]);
    assert.equal(value, 'country == "US" and éx == 1 and contry == "CA"');
    // The escaped quote maps to its backslash.
    assert.equal(origin.toFileOffset(value.indexOf('"US"')), 'when: "country == '.length);
  });
  test("literal block", () =>
    void check('when: |\n  is_employee and\n    contry == "US"\nnext: 1\n', "when", ["is_employee", "contry", '"US"']));
  test("folded block with chomping", () =>
    void check('when: >-\n  is_employee\n  and platfrm == "web"\n', "when", ["is_employee", "platfrm", '"web"']));
  test("end of input maps just past the last character", () => {
    const yaml = "when: a and\nnext: 1\n";
    const { value, origin } = check(yaml, "when", ["and"]);
    assert.equal(origin.toFileOffset(value.length), yaml.indexOf("and") + 3);
  });
});
