/**
 * Follows `GET /v1/ruleset/stream` of an exp server (docs/http-api.md): Server-Sent Events naming
 * the version and checksum of each ruleset the server serves, the current one first. The poller
 * (ruleset-poller.ts) fetches a ruleset it does not have, and pauses polling while the stream is
 * live. A stream that cannot be opened or ends is retried with a doubling, jittered delay.
 * Browser-safe; how the connection is opened is passed in (node-event-stream.ts for the Node SDK).
 */

/** Resolves with the text of the stream, chunk by chunk, once the server answered 200 text/event-stream; rejects otherwise. */
export type OpenEventStream = (url: string, headers: Record<string, string>, signal: AbortSignal) => Promise<AsyncIterable<string>>;

/** What the poller hears from a stream. */
export interface StreamListener {
  /** The checksum of a ruleset the server serves (possibly the one already held). */
  served(checksum: string): void;
  /** The stream is open (true) or lost (false). */
  live(open: boolean): void;
}

export interface StreamOptions {
  /** The stream's url (…/v1/ruleset/stream). */
  url: string;
  headers?: Record<string, string>;
  open: OpenEventStream;
  /** The first delay before a reconnect; it doubles up to `maxRetryMs` (1 s and 60 s). */
  retryMs?: number;
  maxRetryMs?: number;
}

/** Keeps a ruleset stream open until `close()`. */
export function followRulesetStream(o: StreamOptions, listener: StreamListener): { close(): void } {
  const first = o.retryMs ?? 1000;
  const max = o.maxRetryMs ?? 60_000;
  let closed = false;
  let failures = 0;
  let abort: AbortController | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    abort = new AbortController();
    let open = false;
    try {
      const chunks = await o.open(o.url, { accept: "text/event-stream", ...o.headers }, abort.signal);
      open = true;
      failures = 0;
      listener.live(true);
      for await (const e of serverSentEvents(chunks)) {
        if (e.event !== "ruleset") continue;
        const checksum = servedChecksum(e.data);
        if (checksum) listener.served(checksum);
      }
    } catch {
      // A refused, failed or aborted stream: polling covers the gap until the retry.
    }
    if (open) listener.live(false);
    if (closed) return;
    // Full jitter keeps a fleet of SDKs from reconnecting in step after a server restart.
    const delay = Math.min(max, first * 2 ** failures++) * (0.5 + Math.random() / 2);
    retry = setTimeout(() => void connect(), delay);
    (retry as { unref?: () => void }).unref?.();
  };
  void connect();

  return {
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      abort?.abort();
    },
  };
}

/** The events of an event stream's text (the WHATWG format: `event:`, `data:`, comments, blank-line ends). */
export async function* serverSentEvents(chunks: AsyncIterable<string>): AsyncGenerator<{ event: string; data: string }> {
  let pending = "";
  let event = "message";
  let data: string[] = [];
  for await (const chunk of chunks) {
    pending += chunk;
    const lines = pending.split(/\r\n|\r|\n/);
    // The last piece may be a line cut in two by the network.
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === "") {
        if (data.length > 0) yield { event, data: data.join("\n") };
        event = "message";
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
  }
}

/** The checksum a `ruleset` event names (its data is `{"version", "checksum"}`); a malformed one is skipped. */
function servedChecksum(data: string): string | undefined {
  try {
    const checksum = (JSON.parse(data) as { checksum?: unknown }).checksum;
    return typeof checksum === "string" ? checksum : undefined;
  } catch {
    return undefined;
  }
}
