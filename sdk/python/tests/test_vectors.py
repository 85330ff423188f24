"""The repository's golden hashing vectors (test/fixtures/vectors), which every SDK must reproduce."""

import json
import unittest

from _paths import FIXTURES

from exp_sdk import bucket, murmur3, weights_to_basis_points
from exp_sdk.hashing import bucketer_for, pick_index

HASHING = json.loads((FIXTURES / "vectors" / "hashing" / "hash-vectors.json").read_text(encoding="utf-8"))
FLAGD = json.loads((FIXTURES / "vectors" / "flagd" / "fractional-vectors.json").read_text(encoding="utf-8"))


class HashVectors(unittest.TestCase):
    def test_murmur3(self):
        for v in HASHING["murmur3"]:
            self.assertEqual(murmur3(v["input"]), v["hash"], v["input"])

    def test_buckets_every_seed(self):
        self.assertEqual(len(HASHING["buckets"]), 240)
        for v in HASHING["buckets"]:
            self.assertEqual(bucket(v["seed"], v["unit"]), v["bucket"])
            self.assertEqual(bucketer_for(v["seed"])(v["unit"]), v["bucket"])

    def test_weights_and_variant_picks(self):
        for v in HASHING["weights_to_bp"]:
            self.assertEqual(weights_to_basis_points(v["weights"]), v["bp"])
        for v in HASHING["variant_picks"]:
            i = pick_index(weights_to_basis_points(v["weights"]), bucket(v["seed"], v["unit"]))
            self.assertEqual(v["variants"][i], v["variant"])

    def test_flagd_fractional_v2(self):
        checked = 0
        for g in FLAGD["groups"]:
            weights = [b[1] if len(b) > 1 else 1 for b in g["buckets"]]
            for c in g["cases"]:
                h = murmur3(c["bucketing_key"])
                self.assertEqual(h, c["murmur3_x86_32_seed0"], c["bucketing_key"])
                if "expected_v2" in c:
                    self.assertEqual(g["buckets"][pick_index(weights, (h * sum(weights)) >> 32)][0], c["expected_v2"])
                    checked += 1
        self.assertGreaterEqual(checked, 15)

    def test_precomputed_seeds_of_every_length(self):
        for seed in ["", "a", "ab", "abc", "abcd", "variant:ünïcode:1", "x" * 300]:
            f = bucketer_for(seed)
            for unit in ["", "u", "user_42", "Jöhn", "🙂", "y" * 500, "\ud800"]:
                self.assertEqual(f(unit), bucket(seed, unit), (seed, unit))

    def test_surrogates_hash_as_javascript_encodes_them(self):
        # A pair written as two code points is one character; a lone surrogate is U+FFFD.
        self.assertEqual(murmur3("\ud83d\ude42"), murmur3("🙂"))
        self.assertEqual(murmur3("a\ud800b"), murmur3("a\ufffdb"))


if __name__ == "__main__":
    unittest.main()
