"""Puts the SDK on sys.path when the tests run from a checkout without installing it, and finds
the repository's shared fixtures."""

import sys
from pathlib import Path

SDK = Path(__file__).resolve().parents[1]
REPO = SDK.parents[1]
FIXTURES = REPO / "test" / "fixtures"

if str(SDK) not in sys.path:
    sys.path.insert(0, str(SDK))
