import type { Command } from "commander";
import type { PostPlanOptions } from "../gitops/post-plan.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import { withEnvironmentOption } from "./shared.js";

type Which = "postPlanComment" | "postPlanCheck";

/** The GitHub client is loaded only when a github command runs, keeping every other command's start-up light. */
async function run(which: Which, opts: PostPlanOptions): Promise<number> {
  const [post, { computePlanForGitHub }] = await Promise.all([import("../gitops/post-plan.js"), import("../app/github-plan.js")]);
  return post[which]({ ...opts, now: currentTime(), computePlan: computePlanForGitHub });
}

function planOptions(cmd: Command): Command {
  return withEnvironmentOption(cmd)
    .option("--dir <workspace>", "workspace folder (default: nearest folder upward with exp.yaml)")
    .option("--plan <plan.json>", "plan or validation JSON: {diagnostics, markdown?, exitCode?}")
    .option("--body-file <markdown>", "markdown to post (overrides the plan's own markdown)")
    .option("--out <file>", "write the markdown to this file instead of stdout");
}

/** Registers `exp github comment|check`. */
export function registerGitHub(program: Command): void {
  const github = program
    .command("github")
    .description("post the plan to a pull request (env: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL)");
  planOptions(github.command("comment").description("create or update the one sticky plan comment on the pull request")).action(
    action((opts: PostPlanOptions) => run("postPlanComment", opts)),
  );
  planOptions(
    github.command("check").description('post the "exp plan" check run with line annotations; exits 1 on errors, 3 on failed checks'),
  ).action(action((opts: PostPlanOptions) => run("postPlanCheck", opts)));
}
