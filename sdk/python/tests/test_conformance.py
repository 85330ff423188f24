"""Every case of test/fixtures/conformance/cases.json, which the TypeScript runtime produced: the
Python SDK must reproduce each value exactly (docs/python.md)."""

import json
import unittest

from _paths import FIXTURES

from exp_sdk import Assignment, create_evaluator, murmur3, redirect_url, verify_ruleset, weights_to_basis_points
from exp_sdk.canonical import canonical_json, sha256_hex
from exp_sdk.hashing import bucket, bucketer_for, pick_index
from exp_sdk.semver import compare_semver, parse_semver

CASES = json.loads((FIXTURES / "conformance" / "cases.json").read_text(encoding="utf-8"))


class HashingConformance(unittest.TestCase):
    def test_murmur3(self):
        for v in CASES["hashing"]["murmur3"]:
            self.assertEqual(murmur3(v["input"]), v["hash"], repr(v["input"]))

    def test_buckets_and_precomputed_seeds(self):
        for v in CASES["hashing"]["buckets"]:
            self.assertEqual(bucket(v["seed"], v["unit"]), v["bucket"], f"{v['seed']!r} / {v['unit']!r}")
            self.assertEqual(bucketer_for(v["seed"])(v["unit"]), v["bucket"], f"{v['seed']!r} / {v['unit']!r}")

    def test_weights_and_picks(self):
        for v in CASES["hashing"]["weightsToBasisPoints"]:
            self.assertEqual(weights_to_basis_points(v["weights"]), v["basisPoints"], v["weights"])
        for v in CASES["hashing"]["picks"]:
            self.assertEqual(pick_index(v["basisPoints"], v["bucket"]), v["index"], v)


class SemverConformance(unittest.TestCase):
    def test_every_pair(self):
        for v in CASES["semver"]:
            a, b = parse_semver(v["a"]), parse_semver(v["b"])
            got = compare_semver(a, b) if a and b else None
            self.assertEqual(got, v["order"], f"{v['a']!r} vs {v['b']!r}")


class CanonicalJsonConformance(unittest.TestCase):
    def test_text_and_hash(self):
        for v in CASES["canonicalJson"]:
            text = canonical_json(v["value"])
            self.assertEqual(text, v["canonical"])
            self.assertEqual(sha256_hex(text), v["sha256"])


class EvaluationConformance(unittest.TestCase):
    def test_every_ruleset_verifies(self):
        for name, ruleset in CASES["rulesets"].items():
            verified, diagnostics = verify_ruleset(json.dumps(ruleset))
            self.assertIsNotNone(verified, f"{name}: {[str(d) for d in diagnostics]}")

    def test_every_case(self):
        evaluators = {name: create_evaluator(r) for name, r in CASES["rulesets"].items()}
        failures = []
        for case in CASES["cases"]:
            ev = evaluators[case["ruleset"]]
            call, unit, attrs, at = case["call"], case["unit"], case["attributes"], case["at"]
            if call == "assign":
                got = ev.assign(case["key"], unit, attrs, at).to_json()
            elif call == "evaluate":
                got = ev.evaluate(case["key"], unit, attrs, at).to_json()
            else:
                got = ev.evaluate_all(unit, attrs, at).to_json()
            if got != case["expected"] or json.dumps(got, sort_keys=True) != json.dumps(case["expected"], sort_keys=True):
                failures.append(f"{case['id']}: unit {unit!r}, attributes {attrs}\n  expected {case['expected']}\n  got      {got}")
        self.assertGreater(len(CASES["cases"]), 2000)
        self.assertEqual(failures, [], f"{len(failures)} of {len(CASES['cases'])} cases differ:\n" + "\n".join(failures[:20]))


class RedirectConformance(unittest.TestCase):
    def test_every_redirect(self):
        self.assertGreater(len(CASES["redirects"]), 20)
        for c in CASES["redirects"]:
            assignment = Assignment("e", None, None, c["inExperiment"], (), None, "u", c["url"])
            self.assertEqual(redirect_url(assignment, c["currentUrl"]), c["expected"], c["name"])

    def test_a_split_url_assignment_redirects_from_the_evaluator(self):
        ev = create_evaluator(CASES["rulesets"]["split_url"])
        enrolled = [a for a in (ev.assign("landing", f"visitor_{i}", {}, 0) for i in range(40)) if a.in_experiment]
        self.assertTrue(enrolled)
        for a in enrolled:
            self.assertIsNotNone(a.url)
            self.assertTrue(redirect_url(a, "https://shop.example.com/start?utm_source=ads").endswith("utm_source=ads"))


if __name__ == "__main__":
    unittest.main()
