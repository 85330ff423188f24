import { join } from "node:path";
import { appendRecord } from "./append-record.js";

/** One read of analysis results: who (the API key's name; null without authentication), what, when. */
export interface AccessRecord {
  ts: string;
  key: string | null;
  /** The route read, e.g. "summary" or "report". */
  read: string;
  experiment: string;
}

/**
 * `<data-dir>/access-log.ndjson`: every read of analysis results through the server, one JSON line
 * each, appended and fsynced before the answer is sent, so that no read goes unrecorded. Appends
 * are chained one after another, so that concurrent reads never interleave their lines.
 */
export class AccessLog {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataDir: string) {}

  get path(): string {
    return join(this.dataDir, "access-log.ndjson");
  }

  record(r: AccessRecord): Promise<void> {
    const job = this.tail.then(() => appendRecord(this.path, r));
    this.tail = job.catch(() => undefined);
    return job;
  }
}
