/**
 * The bare node:http peer of the assignment benchmark (README.md#benchmarks): it reads the JSON body,
 * parses it and answers it re-serialised, with a content-length. Plain JavaScript run by plain node,
 * as the compiled server is, so that neither side pays for a TypeScript loader.
 * With `turn` it writes its answers as exp serve does (src/runtime/server/answer-batch.ts): together,
 * when the event loop's I/O turn ends; the benchmark compares exp with both.
 * Prints "READY <url>" once listening; stops on SIGTERM.
 *   node bench/server/echo.mjs [turn]
 */
import { createServer } from "node:http";

const atTurnEnd = process.argv[2] === "turn";
let queued = [];
const writeQueued = () => {
  const answers = queued;
  queued = [];
  for (const answer of answers) answer();
};

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    const answer = () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (!atTurnEnd) return answer();
    if (queued.length === 0) setImmediate(writeQueued);
    queued.push(answer);
  });
});
server.listen(0, "127.0.0.1", () => console.log(`READY http://127.0.0.1:${server.address().port}`));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
