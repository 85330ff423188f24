import type { PublishExpectation, PublishedRuleset } from "./target.js";
import { PublishError } from "./errors.js";
import { stateCodes } from "./codes.js";

/** The compare-and-swap test every target runs before moving `current`. */
export function checkExpectation(current: PublishedRuleset | undefined, expect: PublishExpectation, where: string): void {
  const versionMoved = (current?.version ?? undefined) !== expect.expectedVersion;
  const checksumMoved = current !== undefined && expect.expectedChecksum !== undefined && current.checksum !== expect.expectedChecksum;
  if (!versionMoved && !checksumMoved) return;
  const expected =
    expect.expectedVersion === undefined
      ? "nothing published yet"
      : `version ${expect.expectedVersion}${expect.expectedChecksum ? ` (checksum ${short(expect.expectedChecksum)})` : ""}`;
  const actual =
    current === undefined ? "nothing is published" : `version ${current.version} (checksum ${short(current.checksum)}) is current`;
  throw new PublishError(
    stateCodes.publishConflict,
    `the published ruleset in ${where} moved: the plan expected ${expected}, but ${actual}`,
    "run `exp plan` again and apply the new plan",
  );
}

function short(checksum: string): string {
  return checksum.length > 16 ? `${checksum.slice(0, 12)}…` : checksum;
}
