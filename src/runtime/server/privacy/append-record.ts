import { mkdirSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";
import { PRIVATE_DIR, PRIVATE_FILE } from "../segment-files.js";

/** Appends `record` as one JSON line to a private file and fsyncs it: a record is kept once this resolves. */
export async function appendRecord(path: string, record: unknown): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR });
  const file = await open(path, "a", PRIVATE_FILE);
  try {
    await file.write(`${JSON.stringify(record)}\n`);
    await file.datasync();
  } finally {
    await file.close();
  }
}
