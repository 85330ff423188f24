import { userInfo } from "node:os";
import { simpleGit } from "simple-git";

/**
 * Who is publishing: $EXP_ACTOR (CI sets it to the merge author), else the git author configured
 * for the workspace, else the OS user. Never fails: an audit record always names someone.
 */
export async function resolveActor(workspaceDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.EXP_ACTOR?.trim();
  if (fromEnv) return fromEnv;
  try {
    const git = simpleGit({ baseDir: workspaceDir });
    const [name, email] = await Promise.all([git.getConfig("user.name"), git.getConfig("user.email")]);
    const n = name.value?.trim();
    const e = email.value?.trim();
    if (n && e) return `${n} <${e}>`;
    if (n || e) return (n || e)!;
  } catch {
    // Not a git checkout, or git is not installed: fall through to the OS user.
  }
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
