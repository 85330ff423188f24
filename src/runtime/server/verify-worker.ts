// The worker thread of ruleset-verifier.ts: parses and verifies ruleset texts one at a time, so a
// slow verification never holds the server's event loop.
import { parentPort } from "node:worker_threads";
import { verifyRuleset } from "../../ruleset/verify.js";

export interface VerifyRequest {
  id: number;
  text: string;
}

export type VerifyAnswer = { id: number; ok: true } | { id: number; ok: false; messages: string[] };

// Compiling the schema validator takes a while; doing it before saying "ready" keeps it out of the
// first request's time budget.
verifyRuleset({});
parentPort!.postMessage("ready");
parentPort!.on("message", (req: VerifyRequest) => {
  const v = verifyRuleset(req.text);
  const answer: VerifyAnswer = v.value
    ? { id: req.id, ok: true }
    : { id: req.id, ok: false, messages: v.diagnostics.map((d) => d.message) };
  parentPort!.postMessage(answer);
});
