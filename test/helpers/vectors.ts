import { readFileSync } from "node:fs";

const VECTORS = new URL("../fixtures/vectors/", import.meta.url);

/**
 * A conformance-vector file from test/fixtures/vectors/ (each folder's README names its origin).
 * Resolved from this file, not the working directory, so a test reads the same file from wherever it runs.
 */
export function readVectors(path: string): any {
  return JSON.parse(readFileSync(new URL(path, VECTORS), "utf8"));
}
