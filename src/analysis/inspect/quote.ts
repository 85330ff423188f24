/** A table or column name quoted for DuckDB and PostgreSQL alike; "schema.table" quotes each part. */
export const quoteName = (name: string): string =>
  name
    .split(".")
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join(".");
