// A webhook receiver on loopback that records what it is sent; it can fail the next deliveries
// with a status, or hang (read the body, never answer) to stand for a dead chat service.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookReceiver {
  url: string;
  /** The bodies of the deliveries it answered 2xx, in order. */
  readonly accepted: Record<string, any>[];
  /** Every request it read, answered or not. */
  readonly attempts: number;
  /** Answers the next `n` deliveries with `status`. */
  failNext(n: number, status?: number): void;
  /** While on, deliveries are read and never answered. */
  hang(on: boolean): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const accepted: Record<string, any>[] = [];
  const hung: ServerResponse[] = [];
  let attempts = 0;
  let failing = 0;
  let failStatus = 500;
  let hanging = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      attempts++;
      if (hanging) return void hung.push(res);
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus, { "content-type": "text/plain" }).end("not now");
        return;
      }
      accepted.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, any>);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/T000/B000/s3cr3t`,
    accepted,
    get attempts() {
      return attempts;
    },
    failNext(n, status = 500) {
      failing = n;
      failStatus = status;
    },
    hang(on) {
      hanging = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
