import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Every command, in the order `exp --help` lists them (the pipeline's order). Each is loaded only
 * when it runs, so `exp --version` and light commands do not pay for DuckDB, ink or the charts.
 */
export const commandModules: [name: string, load: () => Promise<Register>][] = [
  ["init", async () => (await import("./init.js")).registerInit],
  ["validate", async () => (await import("./validate.js")).registerValidate],
  ["fmt", async () => (await import("./fmt.js")).registerFmt],
  ["plan", async () => (await import("./plan.js")).registerPlan],
  ["apply", async () => (await import("./apply.js")).registerApply],
  ["rollback", async () => (await import("./rollback.js")).registerRollback],
  ["stop", async () => (await import("./stop.js")).registerStop],
  ["audit", async () => (await import("./audit.js")).registerAudit],
  ["assign", async () => (await import("./assign.js")).registerAssign],
  ["export", async () => (await import("./export.js")).registerExport],
  ["serve", async () => (await import("./serve.js")).registerServe],
  ["compact", async () => (await import("./compact.js")).registerCompact],
  ["forget", async () => (await import("./forget.js")).registerForget],
  ["doctor", async () => (await import("./doctor.js")).registerDoctor],
  ["sql", async () => (await import("./sql.js")).registerSql],
  ["analyze", async () => (await import("./analyze.js")).registerAnalyze],
  ["evaluate", async () => (await import("./evaluate.js")).registerEvaluate],
  ["guardrails", async () => (await import("./guardrails.js")).registerGuardrails],
  ["power", async () => (await import("./power.js")).registerPower],
  ["report", async () => (await import("./report.js")).registerReport],
  ["bandit", async () => (await import("./bandit.js")).registerBandit],
  ["github", async () => (await import("./github.js")).registerGitHub],
  ["demo", async () => (await import("./demo.js")).registerDemo],
];
