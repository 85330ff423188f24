"""The client: file and direct loading, and HTTP with ETag polling that keeps the last good ruleset."""

import copy
import hashlib
import json
import os
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _paths import FIXTURES

from exp_sdk import Client, RulesetLoadError, exposure_id, ruleset_checksum

CASES = json.loads((FIXTURES / "conformance" / "cases.json").read_text(encoding="utf-8"))
LADDER = CASES["rulesets"]["ladder"]
T0 = 1796860800000  # 2026-12-10T00:00:00Z


def version(n, default="on"):
    r = copy.deepcopy(LADDER)
    r["version"] = n
    r["flags"]["base_on"]["default"] = default
    r["checksum"] = ruleset_checksum(r)
    return r


class RulesetServer:
    """GET /v1/ruleset with ETag and If-None-Match, as exp serve answers it; the body and status are settable."""

    def __init__(self):
        self.body = json.dumps(version(1)).encode()
        self.status = 200
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, self.headers.get("if-none-match"), self.headers.get("authorization")))
                etag = f'"{hash(server.body)}"'
                if server.status != 200:
                    self.send_response(server.status)
                    self.end_headers()
                elif self.headers.get("if-none-match") == etag:
                    self.send_response(304)
                    self.end_headers()
                else:
                    self.send_response(200)
                    self.send_header("etag", etag)
                    self.send_header("content-type", "application/json")
                    self.end_headers()
                    self.wfile.write(server.body)

            def log_message(self, *_args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class DirectAndFile(unittest.TestCase):
    def test_from_ruleset_evaluates_with_an_injected_clock(self):
        client = Client.from_ruleset(LADDER, now=lambda: T0)
        self.assertEqual(client.evaluate("overridden", "user_42").reason, "override")
        self.assertEqual(client.assign("scheduled", "user_42").reasons[0], "running")
        self.assertEqual(sorted(client.evaluate_all("u").flags), sorted(LADDER["flags"]))

    def test_from_file_and_its_errors(self):
        with tempfile.TemporaryDirectory() as d:
            good = os.path.join(d, "ruleset.json")
            with open(good, "w", encoding="utf-8") as f:
                json.dump(LADDER, f)
            self.assertEqual(Client.from_file(good).ruleset["checksum"], LADDER["checksum"])
            bad = os.path.join(d, "bad.json")
            with open(bad, "w", encoding="utf-8") as f:
                f.write("{")
            with self.assertRaises(RulesetLoadError) as caught:
                Client.from_file(bad)
            self.assertEqual(caught.exception.diagnostics[0].code, "EXP5012")
        with self.assertRaises(RulesetLoadError) as caught:
            Client.from_file(os.path.join(d, "missing.json"))
        self.assertEqual(caught.exception.diagnostics[0].code, "EXP5013")
        self.assertIn("missing.json", str(caught.exception))

    def test_install_keeps_the_last_good_ruleset(self):
        errors = []
        client = Client.from_ruleset(version(1), on_error=errors.append)
        tampered = version(2, default="off")
        tampered["checksum"] = "0" * 64
        self.assertFalse(client.install(tampered))
        self.assertEqual(client.ruleset["version"], 1)
        self.assertEqual([d.code for d in client.last_error], ["EXP5011"])
        self.assertEqual(len(errors), 1)
        self.assertTrue(client.install(json.dumps(version(2, default="off"))))
        self.assertEqual((client.ruleset["version"], client.last_error), (2, None))

    def test_unit_ids_must_be_strings(self):
        with self.assertRaises(TypeError):
            Client.from_ruleset(LADDER).evaluate("base_on", 42)

    def test_identify_needs_a_sink_that_takes_it_and_sends_both_ids(self):
        calls = []

        class Sink:
            def track(self, event):
                pass

            def identify(self, call):
                calls.append(dict(call))

            def flush(self):
                pass

        class TrackOnly:
            def track(self, event):
                pass

            def flush(self):
                pass

        with self.assertRaises(RuntimeError):
            Client.from_ruleset(LADDER).identify("anon", "user")
        with self.assertRaises(RuntimeError):
            Client.from_ruleset(LADDER, events=TrackOnly()).identify("anon", "user")
        with Client.from_ruleset(LADDER, now=lambda: T0, events=Sink()) as client:
            first = client.identify("anon-1", "user-1")
            second = client.identify("anon-1", "user-1")
            for bad in (("", "user"), ("anon", None), ("same", "same")):
                with self.assertRaises(TypeError):
                    client.identify(*bad)
        self.assertNotEqual(first, second)
        self.assertEqual(
            calls,
            [
                {"identifyId": first, "anonymousId": "anon-1", "userId": "user-1", "ts": "2026-12-10T00:00:00.000Z"},
                {"identifyId": second, "anonymousId": "anon-1", "userId": "user-1", "ts": "2026-12-10T00:00:00.000Z"},
            ],
        )

    def test_track_needs_a_sink_and_exposures_reach_one(self):
        seen = []

        class Sink:
            def exposure(self, record):
                seen.append(dict(record))

            def track(self, event):
                seen.append(dict(event))

            def flush(self):
                seen.append("flushed")

        with self.assertRaises(RuntimeError):
            Client.from_ruleset(LADDER).track("u", "purchase")
        with Client.from_ruleset(LADDER, now=lambda: T0, exposures=Sink(), events=Sink()) as client:
            a = client.assign("exempt", "u1", {"country": "US"})
            client.assign("exempt", "u1", {"country": "US"})
            client.assign("paused", "u1")
            event_id = client.track("u1", "purchase", {"revenue": 3}, value=3)
            with self.assertRaises(TypeError):
                client.track("u1", "purchase", value=float("nan"))
        phase = LADDER["experiments"]["exempt"]["phase"]
        self.assertEqual(
            seen[0],
            {
                "exposureId": exposure_id("exempt", phase, "u1"),
                "experimentKey": "exempt",
                "userId": "u1",
                "variant": a.variant,
                "phase": phase,
                "rulesetVersion": LADDER["version"],
                "ts": "2026-12-10T00:00:00.000Z",
            },
            "logged once: the second assignment of the unit is remembered",
        )
        self.assertEqual(
            seen[1],
            {
                "eventId": event_id,
                "userId": "u1",
                "eventName": "purchase",
                "ts": "2026-12-10T00:00:00.000Z",
                "value": 3,
                "properties": {"revenue": 3},
            },
        )
        self.assertRegex(event_id, r"^[0-9a-f-]{36}$")
        self.assertEqual(seen[2:], ["flushed", "flushed"])

    def test_exposure_ids_are_the_node_sdks(self):
        # src/runtime/sdk/exposure-id.ts: SHA-256 of JSON.stringify([experiment, phase, unit]), 32 hex digits.
        expected = hashlib.sha256(b'["checkout_redesign",1,"user_42"]').hexdigest()[:32]
        self.assertEqual(exposure_id("checkout_redesign", 1, "user_42"), expected)
        self.assertEqual(exposure_id("e", 2, "\u00fc\u2028"), hashlib.sha256('["e",2,"\u00fc\u2028"]'.encode()).hexdigest()[:32])


class OverHttp(unittest.TestCase):
    def setUp(self):
        self.server = RulesetServer()
        self.addCleanup(self.server.close)

    def test_first_fetch_then_304_then_a_new_version(self):
        updates = []
        client = Client.from_url(self.server.url, poll_interval_s=0, headers={"authorization": "Bearer t"}, on_update=updates.append)
        self.assertEqual(client.ruleset["version"], 1)
        self.assertFalse(client.refresh())
        self.assertEqual(self.server.requests[0], ("/v1/ruleset", None, "Bearer t"))
        self.assertIsNotNone(self.server.requests[1][1], "the second request is conditional")
        self.server.body = json.dumps(version(2, default="off")).encode()
        self.assertTrue(client.refresh())
        self.assertEqual([u["version"] for u in updates], [2])
        self.assertEqual(client.evaluate("base_on", "u").value, False)

    def test_failures_keep_the_last_good_ruleset(self):
        errors = []
        client = Client.from_url(self.server.url + "/v1/ruleset", poll_interval_s=0, on_error=errors.append)
        self.server.status = 500
        self.assertFalse(client.refresh())
        self.assertIn("answered 500", client.last_error[0].message)
        self.server.status = 200
        tampered = version(3)
        tampered["checksum"] = "f" * 64
        self.server.body = json.dumps(tampered).encode()
        self.assertFalse(client.refresh())
        self.assertEqual(client.last_error[0].code, "EXP5011")
        self.assertEqual((client.ruleset["version"], len(errors)), (1, 2))
        self.server.close()
        self.assertFalse(client.refresh())
        self.assertEqual(client.last_error[0].code, "EXP5013")
        self.assertEqual(client.ruleset["version"], 1)

    def test_the_first_fetch_must_succeed(self):
        self.server.status = 503
        with self.assertRaises(RulesetLoadError) as caught:
            Client.from_url(self.server.url)
        self.assertEqual(caught.exception.diagnostics[0].code, "EXP5013")

    def test_polling_installs_new_versions_until_closed(self):
        installed = threading.Event()
        client = Client.from_url(self.server.url, poll_interval_s=0.02, on_update=lambda _r: installed.set())
        self.addCleanup(client.close)
        self.server.body = json.dumps(version(2, default="off")).encode()
        self.assertTrue(installed.wait(timeout=30), "no poll installed version 2")
        self.assertEqual(client.ruleset["version"], 2)
        client.close()


class Threads(unittest.TestCase):
    def test_one_evaluator_serves_many_threads_with_the_serial_answers(self):
        client = Client.from_ruleset(CASES["rulesets"]["ladder"], now=lambda: T0)
        units = [f"user_{i}" for i in range(400)]
        attrs = {"country": "US", "platform": "android"}
        expected = [client.evaluate_all(u, attrs).to_json() for u in units]
        results = {}

        def work(k):
            results[k] = [client.evaluate_all(u, attrs).to_json() for u in units]

        threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for k in range(6):
            self.assertEqual(results[k], expected)


if __name__ == "__main__":
    unittest.main()
