// A verifier worker whose speed the test controls: the text "stall" keeps it busy until it is
// terminated (a verification that never ends); anything else is verified as by verify-worker.ts.
import { parentPort } from "node:worker_threads";
import { verifyRuleset } from "../../../src/ruleset/verify.js";
import type { VerifyRequest, VerifyAnswer } from "../../../src/runtime/server/verify-worker.js";

// As verify-worker.ts: the schema validator is compiled before "ready", outside any time budget.
verifyRuleset({});
parentPort!.postMessage("ready");
parentPort!.on("message", (req: VerifyRequest) => {
  if (req.text === "stall") for (;;);
  const v = verifyRuleset(req.text);
  const answer: VerifyAnswer = v.value
    ? { id: req.id, ok: true }
    : { id: req.id, ok: false, messages: v.diagnostics.map((d) => d.message) };
  parentPort!.postMessage(answer);
});
