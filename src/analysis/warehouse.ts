import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import type { DialectName } from "../compiler/sql/index.js";

/** A SQL warehouse the analysis can read: rows come back as plain objects keyed by column name. */
export interface Warehouse {
  readonly dialect: DialectName;
  /** `params` bind to $1, $2, … in order. */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * A warehouse problem the user can fix (bad URL, missing table, failed query), carried as a
 * diagnostic so commands print it without a stack trace.
 */
export class WarehouseError extends ExpError {
  constructor(diagnostic: Diagnostic) {
    super(diagnostic);
    this.name = "WarehouseError";
  }
}
