import type { Command } from "commander";
import { writeGuardChangesOf, type GuardGitChange } from "../app/guard-sync.js";
import { watchedExperiments, watchGuardrails, type GuardrailFinding } from "../app/guardrail-watch.js";
import { SQL_CODES } from "../compiler/sql/index.js";
import { ExpError } from "../diagnostics/errors.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import {
  diagnosticsText,
  loadWorkspaceOrExit,
  parseFormat,
  parseInstant,
  withWorkspaceOptions,
  writeOutputFile,
  type WorkspaceOptions,
} from "./shared.js";

interface GuardrailsOptions extends WorkspaceOptions {
  connection?: string;
  asOf?: string;
  out?: string;
  guards?: boolean;
}

const pct = (x: number | null) => (x === null ? "no margin" : `margin ${(x * 100).toFixed(2).replace(/\.?0+$/, "")}%`);
const p = (x: number | null) => (x === null ? "n/a" : x < 1e-4 ? "< 0.0001" : `= ${x.toFixed(4)}`);

function renderText(findings: GuardrailFinding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    const head = `${f.experiment} (phase ${f.phase})`;
    if (f.action === "stop") {
      const what = f.breaches.map((b) => `"${b.metric}" for ${b.variants.join(", ")} (${pct(b.max_regression)})`).join("; ");
      lines.push(`✖ ${head}: STOP: guardrail breached: ${what}; stop this experiment (status: stopped in ${f.file})`);
    } else if (f.action === "error") {
      lines.push(`✖ ${head}: the analysis failed: ${f.error}`);
    } else if (f.action === "alert") {
      lines.push(`! ${head}: ALERT: sample ratio mismatch, p ${p(f.srm.p_value)} < ${f.srm.threshold}; check the assignment and logging`);
    } else if (f.note) {
      lines.push(`· ${head}: ${f.note}; nothing to watch`);
    } else {
      lines.push(`✔ ${head}: no guardrail breached; sample ratio p ${p(f.srm.p_value)} ≥ ${f.srm.threshold}`);
    }
    if (f.action === "stop" && !f.srm.ok) lines.push(`  ! and a sample ratio mismatch, p ${p(f.srm.p_value)} < ${f.srm.threshold}`);
    for (const i of f.inconclusive)
      lines.push(`  · "${i.metric}" is inconclusive for ${i.variants.join(", ")}: not yet shown within its margin; nothing to act on`);
  }
  const act = findings.filter((f) => f.action === "stop" || f.action === "alert").length;
  lines.push("", `${findings.length} experiment(s) watched, ${act} to act on.`);
  return `${lines.join("\n")}\n`;
}

function guardChangesText(changes: GuardGitChange[]): string {
  const lines = changes.map((c) => {
    const [field, value] = Object.entries(c.set)[0]!;
    return `~ ${c.file}: ${field}: ${String(value)} (guard "${c.guard}" broke glass on exp serve)`;
  });
  return `${[...lines, `${changes.length} file(s) changed to match what the guards did.`].join("\n")}\n`;
}

/** `exp guardrails [experiment…]`: which running experiments breach a guardrail or mismatch their sample ratio. */
export function registerGuardrails(program: Command): void {
  withWorkspaceOptions(
    program
      .command("guardrails")
      .description("analyse running experiments and say which breach a guardrail (stop it) or mismatch their sample ratio (alert)")
      .argument("[experiments...]", "experiment keys (default: every running experiment)")
      .option("--connection <name>", "warehouse connection (default: warehouse.default)")
      .option("--as-of <iso>", "only exposures and events before this time")
      .option("--out <file>", "write the result to a file instead of stdout")
      .option(
        "--guards",
        "instead: write what exp serve's guards did since the last exp apply into the workspace files (a flag's enabled: false, an experiment's status: stopped), for a pull request",
      ),
  ).action(
    action(async (keys: string[], opts: GuardrailsOptions) => {
      const format = parseFormat(opts.format);
      parseInstant("--as-of", opts.asOf);
      const ws = await loadWorkspaceOrExit(opts);
      if (opts.guards) {
        const changes = await writeGuardChangesOf(ws);
        const text = format === "json" ? `${JSON.stringify(changes, null, 2)}\n` : guardChangesText(changes);
        if (opts.out) await writeOutputFile(opts.out, text);
        else process.stdout.write(text);
        return 0;
      }
      for (const k of keys) {
        if (!ws.experiments.has(k))
          throw ExpError.of(SQL_CODES.unknownExperiment, `There is no experiment "${k}"; check experiments/*.yaml.`, {
            suggestion: didYouMean(k, ws.experiments.keys()),
          });
      }
      const experiments = watchedExperiments(ws, keys);
      const run = await watchGuardrails(ws, experiments, { connection: opts.connection, asOf: opts.asOf, now: currentTime() });
      process.stderr.write(diagnosticsText(run.diagnostics, ws.files, process.stderr));
      const findings = run.value ?? [];
      const text = format === "json" ? `${JSON.stringify(findings, null, 2)}\n` : renderText(findings);
      if (opts.out) await writeOutputFile(opts.out, text);
      else process.stdout.write(text);
      // Every finding is written first, so a breach elsewhere is still acted on.
      return findings.some((f) => f.action === "error") ? 1 : 0;
    }),
  );
}
