import { after, before, describe } from "node:test";
import { PostgresWarehouse } from "../../../src/analysis/postgres-warehouse.js";
import { type PostgresCluster, startPostgres } from "../../helpers/postgres.js";
import { semanticsTests } from "../../analysis/semantics-suite.js";

let cluster: PostgresCluster;
let counter = 0;

describe("the analysis semantics (docs/analysis.md) on PostgreSQL", () => {
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await cluster?.stop();
  });
  semanticsTests(async () => PostgresWarehouse.open(await cluster.createDatabase(`semantics_${++counter}`)));
});
