// A server for the crash test, in a process of its own so it can be SIGKILLed mid-write or
// mid-compaction: compacts every 15 ms and prints "READY <url>".
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { serverPublisher } from "../../../../src/app/server-publish.js";
import { DirectoryTarget } from "../../../../src/plan/target/directory.js";
import { startServer } from "../../../../src/runtime/server/server.js";

const dataDir = process.argv[2]!;
const store = new DirectoryTarget(join(dataDir, "published"));
const srv = await startServer(
  {
    store,
    publisher: serverPublisher(store),
    dataDir,
    keys: [],
    noAuth: true,
    tokenSecret: randomBytes(32),
    compactEveryMs: 15,
  },
  0,
);
console.log(`READY ${srv.url}`);
