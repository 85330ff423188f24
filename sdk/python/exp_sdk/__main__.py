"""``python3 -m exp_sdk evaluate-all RULESET``: evaluates every experiment and flag for each NDJSON
line ``{"unit": …, "attributes": {…}, "at": ms}`` on stdin and writes one line of results (the
TypeScript runtime's wire shape) per input line. The cross-runtime check and the benchmark use it;
so can a batch job."""

from __future__ import annotations

import argparse
import json
import sys

from .canonical import LONE_SURROGATE
from .client import Client
from .errors import RulesetLoadError


def _evaluate_all(ruleset_path: str) -> int:
    try:
        evaluator = Client.from_file(ruleset_path)._evaluator
    except RulesetLoadError as err:
        print(err, file=sys.stderr)
        return 1
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    out = sys.stdout
    # Written as JavaScript's JSON.stringify writes the same value (non-ASCII kept, lone
    # surrogates escaped), so a reader can compare lines as text.
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        result = evaluator.evaluate_all(request["unit"], request.get("attributes") or {}, request.get("at"))
        text = dumps(result.to_json())
        if not text.isascii():
            text = LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
        out.write(text)
        out.write("\n")
    out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m exp_sdk", description="Evaluate an exp ruleset from the command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    every = commands.add_parser("evaluate-all", help="evaluate every experiment and flag for each NDJSON unit on stdin")
    every.add_argument("ruleset", help="the ruleset JSON file")
    args = parser.parse_args(argv)
    return _evaluate_all(args.ruleset)


if __name__ == "__main__":
    sys.exit(main())
