import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Evaluation } from "../workspace/model.js";
import { Random } from "./random.js";

/** The planted off-policy log: how many decisions, and the actions each context ranks among. */
export interface LoggedDecisionsOptions {
  decisions: number;
  contexts: number;
  actions: number;
  seed: number;
}

/** What was planted: the true mean reward of each policy over the logged contexts. */
export interface PlantedPolicyValues {
  logging: number;
  target: number;
}

/**
 * Writes a table of logged decisions for an evaluation (its declared table and columns) into the
 * demo's DuckDB file. Each context has its own click rate per action; the logging policy (the
 * current ranker) is a softmax over a noisy view of those rates, so every action keeps some
 * exploration; the target policy puts 80% on the context's best action. A reward model's estimates
 * are the true rates with noise. The target is better by construction, and the true values of
 * both policies come back, so the demo can say what the estimators should find.
 */
export async function writeLoggedDecisions(
  dbPath: string,
  csvPath: string,
  evaluation: Evaluation,
  o: LoggedDecisionsOptions,
): Promise<PlantedPolicyValues> {
  const rng = new Random(o.seed ^ 0x0ff9011c);
  const rates = Array.from({ length: o.contexts }, () => Array.from({ length: o.actions }, () => 0.03 + 0.12 * rng.next()));
  const logging = rates.map((r) => softmax(r.map((p) => (p + 0.05 * rng.normal()) * 12)));
  const target = rates.map((r) => {
    const best = r.indexOf(Math.max(...r));
    return r.map((_, a) => (a === best ? 0.8 : 0.2 / (o.actions - 1)));
  });
  const c = evaluation.columns;
  const header = [c.unit, c.context, c.action, c.logging_propensity, c.target_propensity, c.reward];
  const withModel = c.reward_estimate !== undefined && c.target_estimate !== undefined;
  if (withModel) header.push(c.reward_estimate!, c.target_estimate!);
  const lines = [header.join(",")];
  let loggingValue = 0;
  let targetValue = 0;
  for (let i = 0; i < o.decisions; i++) {
    const ctx = rng.int(0, o.contexts);
    const mu = logging[ctx]!;
    const pi = target[ctx]!;
    const action = rng.pick(
      mu.map((_, a) => a),
      mu,
    );
    const model = rates[ctx]!.map((p) => Math.min(1, Math.max(0, p + 0.01 * rng.normal())));
    const reward = rng.next() < rates[ctx]![action]! ? 1 : 0;
    loggingValue += dot(mu, rates[ctx]!);
    targetValue += dot(pi, rates[ctx]!);
    const row = [`u${String(rng.int(0, o.decisions * 4)).padStart(7, "0")}`, `q${i}`, `item_${action}`, mu[action]!, pi[action]!, reward];
    if (withModel) row.push(model[action]!, dot(pi, model));
    lines.push(row.join(","));
  }
  mkdirSync(dirname(csvPath), { recursive: true });
  writeFileSync(csvPath, `${lines.join("\n")}\n`);
  const db = await DuckDBInstance.create(dbPath);
  const conn = await db.connect();
  try {
    const id = (s: string) =>
      s
        .split(".")
        .map((p) => `"${p.replace(/"/g, '""')}"`)
        .join(".");
    await conn.run(
      `CREATE OR REPLACE TABLE ${id(evaluation.table)} AS SELECT * FROM read_csv('${csvPath.replace(/'/g, "''")}', header = true)`,
    );
    await conn.run("CHECKPOINT");
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return { logging: loggingValue / o.decisions, target: targetValue / o.decisions };
}

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, x, i) => s + x * b[i]!, 0);
}
