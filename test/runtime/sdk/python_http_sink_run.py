"""Drives the Python SDK against a running exp serve (python-http-sink.test.ts): assigns, evaluates a
flag served from an experiment, tracks events (one of them undeclared), identifies one login, closes, and prints the sink's
stats, what it reported, and the exposures the SDK logged, as JSON on stdout."""

import json
import os
import sys
from datetime import datetime

from exp_sdk import Client, HttpSink, exposure_id

url, key = sys.argv[1], sys.argv[2]
errors = []
sink = HttpSink(
    url,
    headers={"authorization": f"Bearer {key}"},
    batch_size=40,
    flush_interval_s=0.05,
    on_error=lambda kind, message, count: errors.append([kind, message, count]),
)
# exp serve runs on EXP_NOW's clock when the tests pin it; the SDK evaluates and stamps at that instant too.
pinned = os.environ.get("EXP_NOW")
now = None if pinned is None else (lambda at=datetime.fromisoformat(pinned.replace("Z", "+00:00")).timestamp() * 1000: at)
client = Client.from_url(
    url, poll_interval_s=0, headers={"authorization": f"Bearer {key}"}, exposures=sink, events=sink, now=now
)
attrs = {"country": "US", "platform": "web"}
logged = {}
phase = client.ruleset["experiments"]["checkout_redesign"]["phase"]
for i in range(100):
    unit = f"py_{i}"
    # Odd units are assigned first; even ones are first exposed by the flag the experiment serves.
    if i % 2:
        client.assign("checkout_redesign", unit, attrs)
    flag = client.evaluate("checkout_layout", unit, attrs)
    a = client.assign("checkout_redesign", unit, attrs)
    if a.in_experiment:
        logged[exposure_id("checkout_redesign", phase, unit)] = [unit, a.variant, flag.reason]
    client.track(unit, "purchase", {"revenue": 10.5, "currency": "USD"}, value=10.5)
client.track("py_0", "purchse")
client.identify("py_anon_0", "py_0")
client.close()
print(json.dumps({"stats": {kind: vars(s) for kind, s in sink.stats().items()}, "errors": errors, "logged": logged}))
