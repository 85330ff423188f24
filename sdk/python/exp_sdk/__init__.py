"""The exp SDK for Python: evaluates an exp ruleset exactly as the TypeScript runtime does
(docs/runtime.md, docs/hashing.md, docs/python.md). Standard library only."""

from .canonical import canonical_json, ruleset_checksum
from .client import Client
from .errors import Diagnostic, RulesetLoadError
from .evaluator import Evaluator, create_evaluator
from .exposures import exposure_id
from .extensions import EventSink, ExposureSink, RulesetSource
from .http_sink import HttpSink, QueueStats
from .interleave import interleave, interleave_rankings
from .hashing import HASH_VERSION, bucket, murmur3, weights_to_basis_points
from .jsvalues import UNDEFINED
from .redirect import redirect_url
from .results import Assignment, EvaluateAllResult, FlagResult
from .verify import verify_ruleset

__version__ = "0.1.0"

__all__ = [
    "HASH_VERSION",
    "UNDEFINED",
    "Assignment",
    "Client",
    "Diagnostic",
    "EvaluateAllResult",
    "Evaluator",
    "EventSink",
    "ExposureSink",
    "FlagResult",
    "HttpSink",
    "QueueStats",
    "RulesetLoadError",
    "RulesetSource",
    "bucket",
    "canonical_json",
    "create_evaluator",
    "exposure_id",
    "interleave",
    "interleave_rankings",
    "murmur3",
    "redirect_url",
    "ruleset_checksum",
    "verify_ruleset",
    "weights_to_basis_points",
]
