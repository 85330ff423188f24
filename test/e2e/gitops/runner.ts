// Runs a workflow file's job the way a GitHub runner does, as far as its `run:` steps go: a fresh
// clone of the repository (actions/checkout), the workflow, job and step `env:` with `${{ }}`
// expressions resolved from the given secrets and context, `defaults.run.working-directory`, each
// step as `bash --noprofile --norc -eo pipefail` with the GITHUB_* variables the runner sets, `if:`
// conditions and `continue-on-error`. `uses:` steps other than checkout (setup-node) set nothing
// that the run steps need here.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import { userEnv } from "../install/packed-install.js";

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  "continue-on-error"?: boolean;
  "working-directory"?: string;
}
interface Job {
  steps: Step[];
  env?: Record<string, string>;
  defaults?: { run?: { "working-directory"?: string } };
}
interface Workflow {
  env?: Record<string, string>;
  defaults?: { run?: { "working-directory"?: string } };
  jobs: Record<string, Job>;
}

export interface StepResult {
  name: string;
  skipped: boolean;
  exitCode: number;
  output: string;
}

export interface RunContext {
  /** The workflow file. */
  workflow: string;
  /** The cloned repository (the runner's GITHUB_WORKSPACE). */
  workspace: string;
  secrets: Record<string, string>;
  inputs?: Record<string, string>;
  /** GITHUB_* variables beyond the ones derived here (GITHUB_EVENT_PATH, GITHUB_SHA, GITHUB_REF_NAME, GITHUB_API_URL...). */
  github: Record<string, string>;
  /** A folder for the runner's files (outputs, step scripts). */
  scratch: string;
}

/** `${{ expr }}` for the expressions the templates use: paths, 'strings', ||, &&, ==, !=, !, always(), cancelled(), success(). */
function evaluate(expr: string, scope: (path: string) => string, failed: boolean): string {
  const tokens = expr.match(/'[^']*'|\|\||&&|==|!=|!|\(|\)|[A-Za-z_][A-Za-z0-9_.-]*(?:\(\))?/g) ?? [];
  let i = 0;
  const truthy = (v: string) => v !== "" && v !== "false";
  const primary = (): string => {
    const t = tokens[i++]!;
    if (t === "!") return truthy(primary()) ? "false" : "true";
    if (t === "(") {
      const v = or();
      i++;
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1);
    if (t === "always()") return "true";
    if (t === "cancelled()") return "false";
    if (t === "success()") return failed ? "false" : "true";
    if (t === "true" || t === "false") return t;
    return scope(t);
  };
  const compare = (): string => {
    const left = primary();
    if (tokens[i] === "==" || tokens[i] === "!=") {
      const op = tokens[i++];
      const right = primary();
      return String(op === "==" ? left === right : left !== right);
    }
    return left;
  };
  const and = (): string => {
    let v = compare();
    while (tokens[i] === "&&") {
      i++;
      const r = compare();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const or = (): string => {
    let v = and();
    while (tokens[i] === "||") {
      i++;
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  return or();
}

function substitute(text: string, scope: (path: string) => string, failed: boolean): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => evaluate(e, scope, failed));
}

/** Runs every job of the workflow in order and returns each step's result. */
export async function runWorkflow(ctx: RunContext): Promise<StepResult[]> {
  const wf = parse(readFileSync(ctx.workflow, "utf8")) as Workflow;
  const results: StepResult[] = [];
  mkdirSync(ctx.scratch, { recursive: true });
  for (const [jobName, job] of Object.entries(wf.jobs)) {
    const outputs: Record<string, Record<string, string>> = {};
    let failed = false;
    const env: Record<string, string> = {};
    const scope = (path: string): string => {
      const [head, ...rest] = path.split(".");
      if (head === "secrets") return ctx.secrets[rest[0]!] ?? "";
      if (head === "inputs") return ctx.inputs?.[rest[0]!] ?? "";
      if (head === "env") return env[rest[0]!] ?? "";
      if (head === "github" && rest[0] === "token") return ctx.secrets.GITHUB_TOKEN ?? "";
      if (head === "github" && rest[0] === "actor") return ctx.github.GITHUB_ACTOR ?? "runner";
      if (head === "steps" && rest[1] === "outputs") return outputs[rest[0]!]?.[rest[2]!] ?? "";
      throw new Error(`the runner stand-in cannot evaluate "${path}"`);
    };
    for (const [k, v] of Object.entries({ ...wf.env, ...job.env })) env[k] = substitute(String(v), scope, failed);
    const workdir = job.defaults?.run?.["working-directory"] ?? wf.defaults?.run?.["working-directory"] ?? ".";
    for (const [n, step] of job.steps.entries()) {
      const name = step.name ?? step.run?.split("\n")[0] ?? step.uses ?? `step ${n}`;
      if (step.run === undefined) {
        results.push({ name, skipped: true, exitCode: 0, output: "" });
        continue;
      }
      const condition = step.if === undefined ? "success()" : step.if.replace(/^\$\{\{\s*|\s*\}\}$/g, "");
      if (evaluate(condition, scope, failed) !== "true") {
        results.push({ name, skipped: true, exitCode: 0, output: "" });
        continue;
      }
      const outputFile = join(ctx.scratch, `${jobName}-${n}.output`);
      writeFileSync(outputFile, "");
      const script = join(ctx.scratch, `${jobName}-${n}.sh`);
      writeFileSync(script, step.run);
      const stepEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = substitute(String(v), scope, failed);
      const r = await execa("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
        cwd: join(ctx.workspace, step["working-directory"] ?? workdir),
        env: userEnv({
          CI: "true",
          GITHUB_ACTIONS: "true",
          GITHUB_WORKSPACE: ctx.workspace,
          GITHUB_OUTPUT: outputFile,
          GITHUB_ACTOR: "runner",
          GITHUB_JOB: jobName,
          RUNNER_TEMP: ctx.scratch,
          ...ctx.github,
          ...env,
          ...stepEnv,
        }),
        extendEnv: false,
        reject: false,
        all: true,
      });
      if (step.id) {
        outputs[step.id] = Object.fromEntries(
          readFileSync(outputFile, "utf8")
            .split("\n")
            .filter((l) => l.includes("="))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
      }
      results.push({ name, skipped: false, exitCode: r.exitCode ?? 1, output: r.all ?? "" });
      if (r.exitCode !== 0 && !step["continue-on-error"]) failed = true;
    }
  }
  return results;
}

/** actions/checkout: a shallow clone of one ref, with `origin` pointing at the remote. */
export async function checkout(remote: string, ref: string, into: string): Promise<string> {
  await execa("git", ["clone", "-q", "--depth", "1", "--branch", ref, `file://${remote}`, into]);
  return (await execa("git", ["rev-parse", "HEAD"], { cwd: into })).stdout.trim();
}
