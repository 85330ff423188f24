import { resolve } from "node:path";
import type { Command } from "commander";
import { evaluatePolicies, selectEvaluations, type EvaluationsJson } from "../app/evaluate.js";
import { correlationSentence, offPolicyMarkdown, offPolicyTextLines } from "../report/off-policy.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import {
  diagnosticsText,
  loadWorkspaceOrExit,
  parseFormat,
  parseInstant,
  valueOrFail,
  withWorkspaceOptions,
  writeOutputFile,
  type OutputFormat,
} from "./shared.js";

interface EvaluateOptions {
  connection?: string;
  asOf?: string;
  out?: string;
  dir?: string;
  format?: string;
}

/** The terminal, markdown or JSON view of `exp evaluate`, all from the one JSON document. */
export function renderEvaluations(r: EvaluationsJson, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(r, null, 2)}\n`;
  const compared = r.evaluations.some((e) => e.online);
  if (format === "markdown") {
    const body = offPolicyMarkdown(r.evaluations, "##");
    return `${body || "## Off-policy evaluation\n\nThe workspace declares no evaluation."}\n${compared ? `\n${correlationSentence(r.offline_online)}\n` : ""}`;
  }
  const lines = offPolicyTextLines(r.evaluations);
  if (!lines.length) lines.push("the workspace declares no evaluation (evaluations/*.yaml)");
  if (compared) lines.push("", correlationSentence(r.offline_online));
  return `${lines.join("\n")}\n`;
}

/**
 * `exp evaluate [evaluation]`: off-policy evaluation of a target policy from logged decisions. A
 * command of its own rather than an `exp analyze` option, because an evaluation is not an experiment:
 * it has no variants or exposures, only a table of decisions (docs/cli.md#exp-evaluate).
 */
export function registerEvaluate(program: Command): void {
  withWorkspaceOptions(
    program
      .command("evaluate [evaluation]")
      .description("estimate a target policy's value from logged decisions (IPS, SNIPS, doubly robust); every evaluation without a name")
      .option("--connection <name>", "warehouse connection (default: warehouse.default in exp.yaml)")
      .option("--as-of <iso>", "analyse the compared experiment's data as it was at this time")
      .option("--out <file>", "write the result to this file instead of stdout"),
  ).action(
    action(async (key: string | undefined, opts: EvaluateOptions) => {
      const format = parseFormat(opts.format);
      parseInstant("--as-of", opts.asOf);
      const ws = await loadWorkspaceOrExit(opts);
      const evaluations = selectEvaluations(ws, key);
      const run = await evaluatePolicies(ws, evaluations, {
        connection: opts.connection,
        asOf: opts.asOf,
        now: currentTime(),
        env: process.env,
      });
      const value = valueOrFail(run, ws.files);
      process.stderr.write(diagnosticsText(run.diagnostics, ws.files, process.stderr));
      const rendered = renderEvaluations(value, format);
      if (opts.out) await writeOutputFile(resolve(opts.out), rendered, opts.out);
      else process.stdout.write(rendered);
      return 0;
    }),
  );
}
