"""Verification: the schema's essentials, the checksum, the references, and patterns Python cannot
match exactly as JavaScript does."""

import copy
import json
import unittest

from _paths import FIXTURES

from exp_sdk import ruleset_checksum, verify_ruleset

CASES = json.loads((FIXTURES / "conformance" / "cases.json").read_text(encoding="utf-8"))
LADDER = CASES["rulesets"]["ladder"]


def resealed(r):
    r = copy.deepcopy(r)
    r["checksum"] = ruleset_checksum(r)
    return r


def codes(source):
    ruleset, diagnostics = verify_ruleset(source)
    return ruleset, [d.code for d in diagnostics], [d.message for d in diagnostics]


class Verify(unittest.TestCase):
    def test_a_good_ruleset_verifies_as_object_text_and_bytes(self):
        for source in (LADDER, json.dumps(LADDER), json.dumps(LADDER).encode()):
            ruleset, found, _ = codes(source)
            self.assertEqual(found, [])
            self.assertEqual(ruleset["checksum"], LADDER["checksum"])

    def test_not_json(self):
        for text in ("{", '{"a": NaN}', "Infinity"):
            self.assertEqual(codes(text)[1], ["EXP5012"], text)

    def test_schema_essentials(self):
        broken = [
            lambda r: r.pop("flags"),
            lambda r: r.update(schemaVersion=2),
            lambda r: r.update(hashVersion=True),
            lambda r: r.update(version=0),
            lambda r: r.update(extra=1),
            lambda r: r["experiments"]["scheduled"].update(traffic=10001),
            lambda r: r["experiments"]["scheduled"].update(status="live"),
            lambda r: r["experiments"]["scheduled"].update(variants=[]),
            lambda r: r["experiments"]["scheduled"]["variants"][0].update(weight=1.5),
            lambda r: r["flags"]["rollout"]["rules"][0]["steps"][0].update(traffic="10"),
            lambda r: r["flags"]["color"]["rules"][0].update(kind="maybe"),
            lambda r: r["flags"]["color"].update(overrides={"u": ""}),
            lambda r: r["segments"].update(bad={"op": "==", "as": "text", "args": []}),
            lambda r: r["segments"].update(bad={"op": "nope"}),
            lambda r: r["segments"].update(bad={"op": "in", "as": "value", "arg": {"op": "attr"}, "values": []}),
            lambda r: r["layers"]["checkout"]["slots"].update(lay_a=[[0, 1, 2]]),
            lambda r: r["holdouts"].update(h3={"traffic": -1}),
        ]
        for i, breaks in enumerate(broken):
            r = copy.deepcopy(LADDER)
            breaks(r)
            ruleset, found, messages = codes(resealed(r))
            self.assertIsNone(ruleset, i)
            self.assertEqual(set(found), {"EXP5010"}, (i, messages))
            self.assertTrue(all(m.startswith('Ruleset field "') for m in messages), messages)

    def test_checksum_mismatch(self):
        r = copy.deepcopy(LADDER)
        r["flags"]["base_on"]["default"] = "off"
        ruleset, found, messages = codes(r)
        self.assertEqual((ruleset, found), (None, ["EXP5011"]))
        self.assertIn("altered after compilation", messages[0])

    def test_created_at_is_outside_the_checksum(self):
        r = copy.deepcopy(LADDER)
        r["createdAt"] = "2030-01-01T00:00:00.000Z"
        self.assertEqual(codes(r)[1], [])

    def test_references(self):
        r = copy.deepcopy(LADDER)
        r["experiments"]["scheduled"]["variants"][0]["weight"] = 4000
        r["flags"]["needs_base"]["prerequisites"].append({"flag": "ghost"})
        r["segments"]["north_america"] = {"op": "segment", "name": "nowhere"}
        ruleset, found, messages = codes(resealed(r))
        self.assertIsNone(ruleset)
        self.assertEqual(set(found), {"EXP5003"})
        self.assertEqual(len(messages), 3, messages)

    def test_patterns_outside_the_portable_subset_are_refused(self):
        for pattern in ("(a)\\1", "(?<=a)b", "[\\S]", "[\\d-z]", "\\k<x>", "\\c1", "(?=a)*", "\\01"):
            r = copy.deepcopy(LADDER)
            r["segments"]["pattern"] = {"op": "matches", "arg": {"op": "attr", "name": "s"}, "pattern": pattern}
            ruleset, found, messages = codes(resealed(r))
            self.assertEqual((ruleset, found), (None, ["EXP5014"]), pattern)
            self.assertIn(f'"{pattern}"', messages[0])

    def test_patterns_javascript_refuses_load_and_never_match(self):
        r = copy.deepcopy(LADDER)
        r["segments"]["pattern"] = {"op": "matches", "arg": {"op": "attr", "name": "s"}, "pattern": "(?i)a"}
        self.assertEqual(codes(resealed(r))[1], [])


if __name__ == "__main__":
    unittest.main()
