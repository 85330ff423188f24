import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { toAnnotations } from "./annotations.js";
import { CHECK_NAME, publishCheckRun } from "./check-run.js";
import { createGitHubClient } from "./github-client.js";
import type { Env } from "./github-context.js";
import { readGitHubContext, requireHeadSha, requirePullNumber } from "./github-context.js";
import type { PlanForGitHub } from "./plan-input.js";
import { conclusionOf, exitCodeOf, readBodyFile, readPlanFile } from "./plan-input.js";
import { planMarkdown } from "./plan-markdown.js";
import { findWorkspaceRoot } from "../workspace/root.js";
import { InternalError } from "../diagnostics/errors.js";
import { workspacePrefix } from "./repo-path.js";
import { PLAN_MARKER, upsertStickyComment } from "./sticky-comment.js";

/** What `exp github comment|check` were given on the command line. */
export interface PostPlanOptions {
  dir?: string;
  plan?: string;
  bodyFile?: string;
  out?: string;
  /**
   * The exp.yaml environment planned (`--env`): the plan is computed for it, and its comment and check
   * run are its own, so the plans of staging and production sit side by side on one pull request.
   */
  env?: string;
  /** The instant the plan is computed at (lifecycle and schedule checks); default the wall clock. */
  now?: Date;
  /** Plans the workspace when neither --plan nor --body-file is given (the use case of src/app). */
  computePlan?: (dir: string, now: Date, environment?: string) => Promise<PlanForGitHub>;
}

export interface PostPlanIo {
  env: Env;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo = (): PostPlanIo => ({
  env: process.env,
  cwd: process.cwd(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});

async function gatherPlan(opts: PostPlanOptions, dir: string): Promise<{ plan: PlanForGitHub; markdown: string }> {
  let plan: PlanForGitHub;
  if (opts.plan) plan = readPlanFile(opts.plan);
  else if (opts.bodyFile) plan = { diagnostics: [] };
  else if (opts.computePlan) plan = await opts.computePlan(dir, opts.now ?? new Date(), opts.env);
  else throw new InternalError("exp github needs --plan, --body-file or a planner");
  const body = opts.bodyFile ? readBodyFile(opts.bodyFile) : "";
  // An empty body file means the plan step failed before rendering; post what we know instead.
  const markdown = body.trim() !== "" ? body : planMarkdown(plan);
  return { plan, markdown };
}

/** The plan output goes out before any API call, so a refused request never loses it. */
function emitMarkdown(markdown: string, out: string | undefined, io: PostPlanIo): void {
  const text = markdown.endsWith("\n") ? markdown : `${markdown}\n`;
  if (out) {
    const path = resolve(io.cwd, out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } else io.stdout(text);
}

/** `--dir`, else the workspace around the current folder, else the current folder (a body file needs no workspace). */
function workspaceDir(opts: PostPlanOptions, io: PostPlanIo): string {
  return opts.dir ? resolve(io.cwd, opts.dir) : (findWorkspaceRoot(io.cwd) ?? resolve(io.cwd));
}

/** `exp github comment`: prints the plan, then creates or updates the sticky PR comment. Returns the exit code. */
export async function postPlanComment(opts: PostPlanOptions, io: PostPlanIo = processIo()): Promise<number> {
  const { markdown } = await gatherPlan(opts, workspaceDir(opts, io));
  emitMarkdown(markdown, opts.out, io);
  const ctx = readGitHubContext(io.env);
  const issueNumber = requirePullNumber(ctx, io.env);
  const marker = opts.env === undefined ? PLAN_MARKER : `<!-- exp:plan:${opts.env} -->`;
  const result = await upsertStickyComment(createGitHubClient(ctx), { owner: ctx.owner, repo: ctx.repo, issueNumber }, markdown, marker);
  io.stderr(`${result.action} the plan comment on pull request #${issueNumber}${result.url ? ` (${result.url})` : ""}\n`);
  return 0;
}

/**
 * `exp github check`: prints the plan, then posts the "exp plan" check run. Returns the docs/cli.md
 * exit code of the plan (1 errors, 3 failed checks, else 0) so the job fails with the check.
 */
export async function postPlanCheck(opts: PostPlanOptions, io: PostPlanIo = processIo()): Promise<number> {
  const dir = workspaceDir(opts, io);
  const { plan, markdown } = await gatherPlan(opts, dir);
  emitMarkdown(markdown, opts.out, io);
  const ctx = readGitHubContext(io.env);
  const headSha = requireHeadSha(ctx, io.env);
  const annotations = toAnnotations(plan.diagnostics, await workspacePrefix(dir));
  const conclusion = conclusionOf(plan);
  const count = (s: string) => plan.diagnostics.filter((d) => d.severity === s).length;
  const title =
    conclusion === "failure"
      ? `plan failed: ${count("error")} error(s), ${count("warning")} warning(s)`
      : `plan passed: ${count("warning")} warning(s)`;
  const name = opts.env === undefined ? CHECK_NAME : `${CHECK_NAME} (${opts.env})`;
  const result = await publishCheckRun(createGitHubClient(ctx), {
    owner: ctx.owner,
    repo: ctx.repo,
    headSha,
    name,
    title,
    summary: markdown,
    conclusion,
    annotations,
  });
  io.stderr(`posted the "${name}" check run (${conclusion}, ${annotations.length} annotation(s))${result.url ? `: ${result.url}` : ""}\n`);
  return exitCodeOf(plan);
}
