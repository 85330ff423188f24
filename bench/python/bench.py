"""The Python half of bench/python: evaluations per second of the Python SDK on the workloads that
index.ts runs through the TypeScript runtime, on the same units. Prints one JSON line per workload.
    python3 bench/python/bench.py RULESET UNITS.ndjson ROUNDS OPS"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sdk" / "python"))

from exp_sdk import create_evaluator  # noqa: E402


def main() -> None:
    ruleset_path, units_path, rounds, ops = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    ev = create_evaluator(json.loads(Path(ruleset_path).read_text(encoding="utf-8")))
    # split("\n"), not splitlines(): unit ids may hold U+2028, which JSON leaves unescaped.
    units = [json.loads(line) for line in Path(units_path).read_text(encoding="utf-8").split("\n") if line]
    mask = len(units) - 1
    at = units[0]["at"]
    workloads = json.loads(sys.argv[5])
    for w in workloads:
        call, key, per_op = w["call"], w.get("key"), w["evaluationsPerOp"]
        if call == "assign":
            fn = lambda u: ev.assign(key, u["unit"], u["attributes"], at)  # noqa: E731
        elif call == "evaluate":
            fn = lambda u: ev.evaluate(key, u["unit"], u["attributes"], at)  # noqa: E731
        else:
            fn = lambda u: ev.evaluate_all(u["unit"], u["attributes"], at)  # noqa: E731
        n = max(1, ops // per_op)
        for i in range(min(n, 5000)):
            fn(units[i & mask])
        rates = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            for i in range(n):
                fn(units[i & mask])
            rates.append(n * per_op / (time.perf_counter() - t0))
        rates.sort()
        print(json.dumps({"workload": w["name"], "impl": "python", "evaluationsPerSec": round(rates[len(rates) // 2])}, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
