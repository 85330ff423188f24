"""Session-unit experiments hash the session id, as the TypeScript evaluator does (docs/runtime.md#units-users-and-sessions)."""

import copy
import unittest

import _paths  # noqa: F401  (puts the SDK on sys.path)

from exp_sdk.evaluator import create_evaluator

T0 = 1796860800000  # 2026-12-10T00:00:00Z
EXPERIMENT = {
    "status": "running",
    "phase": 1,
    "unit": "session",
    "schedule": {},
    "holdout": False,
    "traffic": 10000,
    "variants": [{"key": "control", "weight": 5000}, {"key": "banner", "weight": 5000}],
}
RULESET = {"experiments": {"banner": EXPERIMENT}, "flags": {}, "segments": {}, "layers": {}, "holdouts": {}}


class SessionUnitTest(unittest.TestCase):
    def setUp(self):
        self.ev = create_evaluator(copy.deepcopy(RULESET))

    def test_the_session_id_is_hashed(self):
        # Buckets from src/ruleset/hash.ts: variant:banner:1 of sess-1 is 9659, of sess-2 6677.
        a = self.ev.assign("banner", {"userId": "u1", "sessionId": "sess-1"}, None, T0)
        self.assertEqual((a.variant, a.bucket, a.hash_key), ("banner", 9659, "sess-1"))
        b = self.ev.assign("banner", {"userId": "u1", "sessionId": "sess-2"}, None, T0)
        self.assertEqual((b.bucket, b.hash_key), (6677, "sess-2"))

    def test_without_a_session_id_the_unit_is_not_enrolled(self):
        a = self.ev.assign("banner", "u1", None, T0)
        self.assertEqual((a.in_experiment, a.reasons), (False, ("running", "no_session_id")))


if __name__ == "__main__":
    unittest.main()
