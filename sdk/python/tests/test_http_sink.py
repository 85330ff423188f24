"""The HTTP sink against a scripted server on loopback: batches, retries with backoff and jitter
(Retry-After a floor) that resend the same ids, refusals that are not retried, the bounded queue
that reports drops, and flush/close. Against a real ``exp serve``: test/runtime/sdk/python-http-sink.test.ts."""

import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from exp_sdk import HttpSink
from exp_sdk.http_sink import retry_after_s, retry_delay_s


class ScriptedServer:
    """Answers each POST with the next scripted (status, body, headers), then 202; records every body."""

    def __init__(self, script=()):
        self.script = list(script)
        self.bodies = []
        self.gate = threading.Event()
        self.gate.set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                outer.gate.wait(10)
                outer.bodies.append((self.path, body))
                status, answer, headers = outer.script.pop(0) if outer.script else (202, None, {})
                items = next(iter(body.values()))
                if answer is None:
                    answer = {"accepted": len(items), "duplicates": 0, "rejected": []}
                text = json.dumps(answer).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *_args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def event(i):
    return {"eventId": f"e-{i}", "userId": "u1", "eventName": "purchase", "ts": "2026-12-10T00:00:00.000Z"}


class HttpSinkTest(unittest.TestCase):
    def sink(self, server, **options):
        self.delays = []
        self.errors = []
        self.drops = []
        s = HttpSink(
            server.url,
            headers={"authorization": "Bearer k"},
            random=lambda: 0.5,
            sleep=self.delays.append,
            on_error=lambda kind, message, n: self.errors.append((kind, message, n)),
            on_drop=lambda kind, n: self.drops.append((kind, n)),
            **options,
        )
        self.addCleanup(s.close, 10)
        return s

    def server(self, script=()):
        server = ScriptedServer(script)
        self.addCleanup(server.close)
        return server

    def test_batches_of_batch_size_are_sent_on_flush(self):
        server = self.server()
        sink = self.sink(server, batch_size=2, flush_interval_s=60)
        exposure = {"exposureId": "x1", "experimentKey": "e", "userId": "u", "variant": "a", "phase": 1, "rulesetVersion": 1}
        sink.exposure(exposure)
        for i in range(5):
            sink.track(event(i))
        self.assertTrue(sink.flush(10))
        self.assertIn(("/v1/exposures", {"exposures": [exposure]}), server.bodies)
        self.assertEqual([(p, [e["eventId"] for e in b["events"]]) for p, b in server.bodies if p == "/v1/events"], [
            ("/v1/events", ["e-0", "e-1"]),
            ("/v1/events", ["e-2", "e-3"]),
            ("/v1/events", ["e-4"]),
        ])
        stats = sink.stats()["events"]
        self.assertEqual((stats.acknowledged, stats.queued, stats.retries), (5, 0, 0))

    def test_identify_calls_are_posted_to_v1_identify_and_retried_with_the_same_ids(self):
        server = self.server([(503, {"error": "busy"}, {})])
        sink = self.sink(server, flush_interval_s=60)
        call = {"identifyId": "i-1", "anonymousId": "anon-1", "userId": "user-1", "ts": "2026-12-10T00:00:00.000Z"}
        sink.identify(call)
        self.assertTrue(sink.flush(10))
        self.assertEqual(server.bodies, [("/v1/identify", {"identities": [call]}), ("/v1/identify", {"identities": [call]})])
        stats = sink.stats()["identities"]
        self.assertEqual((stats.acknowledged, stats.retries, stats.queued), (1, 1, 0))

    def test_failures_are_retried_with_the_same_ids_and_jittered_backoff_with_retry_after_as_a_floor(self):
        server = self.server([(503, {"error": "disk"}, {}), (429, {}, {"retry-after": "7"}), (500, None, {})])
        sink = self.sink(server, base_delay_s=0.2, max_delay_s=30)
        sink.track(event(1))
        self.assertTrue(sink.flush(10))
        sent = [b["events"] for _, b in server.bodies]
        self.assertEqual(sent, [[event(1)]] * 4, "a retry resends the same record, with its id")
        stats = sink.stats()["events"]
        self.assertEqual((stats.acknowledged, stats.retries, stats.given_up), (1, 3, 0))
        # Full jitter with random() = 0.5: half the cap, the cap doubling per attempt; Retry-After is a floor.
        self.assertEqual(self.delays, [0.1, 7.0, 0.4])
        self.assertEqual(self.errors, [])

    def test_a_4xx_is_reported_and_not_retried_and_items_refused_in_a_batch_are_counted(self):
        refused = {"accepted": 1, "duplicates": 1, "rejected": [{"index": 2, "error": 'unknown event "x"'}]}
        server = self.server([(400, {"error": '"events" is empty'}, {}), (202, refused, {})])
        sink = self.sink(server, flush_interval_s=60)
        sink.track(event(1))
        self.assertTrue(sink.flush(10))
        for i in range(3):
            sink.track(event(10 + i))
        self.assertTrue(sink.flush(10))
        self.assertEqual(len(server.bodies), 2)
        stats = sink.stats()["events"]
        self.assertEqual((stats.rejected, stats.acknowledged, stats.duplicates, stats.retries), (2, 2, 1, 0))
        self.assertEqual([(k, n) for k, _, n in self.errors], [("events", 1), ("events", 1)])
        self.assertIn("400", self.errors[0][1])
        self.assertIn('record 2 of a batch: unknown event "x"', self.errors[1][1])

    def test_a_batch_is_given_up_after_the_last_attempt(self):
        server = self.server([(503, {}, {})] * 3)
        sink = self.sink(server, max_attempts=3)
        sink.track(event(1))
        self.assertTrue(sink.flush(10))
        stats = sink.stats()["events"]
        self.assertEqual((stats.given_up, stats.retries, stats.acknowledged), (1, 2, 0))
        self.assertIn("gave up after 3 attempts", self.errors[0][1])

    def test_the_queue_is_bounded_and_reports_what_it_drops(self):
        server = self.server()
        server.gate.clear()
        sink = self.sink(server, max_queue=3, batch_size=1, flush_interval_s=0)
        for i in range(5):
            sink.track(event(i))
        self.assertEqual(self.drops, [("events", 1), ("events", 1)])
        self.assertEqual(sink.stats()["events"].dropped, 2)
        server.gate.set()
        self.assertTrue(sink.flush(10))
        self.assertEqual([b["events"][0]["eventId"] for _, b in server.bodies], ["e-0", "e-1", "e-2"])

    def test_flush_gives_up_waiting_at_its_timeout_and_close_refuses_later_records(self):
        server = self.server()
        server.gate.clear()
        sink = self.sink(server, flush_interval_s=0)
        sink.track(event(1))
        self.assertFalse(sink.flush(0.05))
        server.gate.set()
        self.assertTrue(sink.close(10))
        sink.track(event(2))
        self.assertEqual(self.drops, [("events", 1)])
        self.assertEqual(sink.stats()["events"].acknowledged, 1)

    def test_backoff_and_retry_after(self):
        self.assertEqual([retry_delay_s(a, 0.2, 1.0, lambda: 0.999) for a in (1, 2, 3, 4)], [0.1998, 0.3996, 0.7992, 0.999])
        self.assertEqual(retry_delay_s(1, 0.2, 1.0, lambda: 0.0, 3.0), 3.0)
        self.assertEqual(retry_after_s("12", 0), 12.0)
        self.assertEqual(retry_after_s("Thu, 01 Jan 1970 00:01:40 GMT", 40.0), 60.0)
        self.assertIsNone(retry_after_s("soon", 0))
        self.assertIsNone(retry_after_s(None, 0))


if __name__ == "__main__":
    unittest.main()
