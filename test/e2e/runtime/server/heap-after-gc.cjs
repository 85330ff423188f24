// Loaded into an exp serve process by the tests that measure its heap (heap.ts: NODE_OPTIONS=--require): on SIGUSR2 it
// collects garbage fully and prints the V8 heap then in use, "HEAP_AFTER_GC <bytes>" on stderr. The
// test compares what the server holds, not what the machine's load has left uncollected (the
// process's resident memory also keeps freed pages and DuckDB's buffers).
const v8 = require("node:v8");
const vm = require("node:vm");

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
process.on("SIGUSR2", () => {
  gc();
  process.stderr.write(`HEAP_AFTER_GC ${process.memoryUsage().heapUsed}\n`);
});
