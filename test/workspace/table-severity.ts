import assert from "node:assert/strict";
import { allCodes } from "../../src/diagnostics/codes.js";

/**
 * Every diagnostic carries the severity of its code's table entry (the factory takes it from there);
 * a diagnostic built by hand with another severity, or with an unregistered code, fails here.
 */
export function assertTableSeverities(diags: readonly { code: string; severity: string }[], where: string): void {
  const table = new Map(allCodes().map((c) => [c.code, c.severity]));
  for (const d of diags) {
    assert.ok(table.has(d.code), `${where}: ${d.code} is not registered in any code table`);
    assert.equal(d.severity, table.get(d.code), `${where}: ${d.code} is reported as ${d.severity}, its table says ${table.get(d.code)}`);
  }
}
