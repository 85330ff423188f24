import { join, resolve } from "node:path";
import type { PublishTarget as PublishTargetConfig } from "../../workspace/model.js";
import { DirectoryTarget } from "./directory.js";
import { DEFAULT_GIT_BRANCH, DEFAULT_GIT_REMOTE, GitTarget } from "./git.js";
import { HttpTarget } from "./http.js";
import { resolveSecret } from "../../workspace/secret.js";
import { WorkspaceCodes } from "../../workspace/codes.js";
import { displayPath } from "./config.js";
import { PublishError } from "./errors.js";
import type { LockOwner, PublishTarget, RulesetVerifier } from "./target.js";

export interface OpenTargetOptions {
  verify?: RulesetVerifier;
  onStaleLockBroken?: (owner: LockOwner) => void;
  env?: NodeJS.ProcessEnv;
  /** The exp.yaml environment the target publishes for (`--env`). */
  environment?: string;
}

/** Local state of the http target (lock and audit log), documented in src/plan/README.md. */
export const HTTP_STATE_DIR = ".exp/http-target";

/** The one place that maps `runtime.publish` to a target; a new target type is one more branch. */
export function openPublishTarget(config: PublishTargetConfig, root: string, options: OpenTargetOptions = {}): PublishTarget {
  const target = openTarget(config, root, options);
  return options.environment === undefined ? target : Object.assign(target, { environment: options.environment });
}

function openTarget(config: PublishTargetConfig, root: string, options: OpenTargetOptions): PublishTarget {
  if (config.type === "directory") {
    const dir = resolve(root, config.path);
    return new DirectoryTarget(dir, {
      verify: options.verify,
      displayPath: displayPath(root, dir),
      onStaleLockBroken: options.onStaleLockBroken,
    });
  }
  if (config.type === "git")
    return new GitTarget({
      root,
      branch: config.branch ?? DEFAULT_GIT_BRANCH,
      remote: config.remote ?? DEFAULT_GIT_REMOTE,
      verify: options.verify,
      onStaleLockBroken: options.onStaleLockBroken,
      env: options.env,
    });
  const secret = config.token;
  // Read when a request needs it, so opening the target and reading its local audit log need no token.
  const token =
    secret === undefined
      ? undefined
      : () => {
          const r = resolveSecret(secret, "runtime.publish.token", options.env);
          if (r.value !== undefined) return r.value;
          const d = r.diagnostics[0]!;
          throw new PublishError(WorkspaceCodes.envNotSet, d.message, d.suggestion);
        };
  return new HttpTarget({
    url: config.url,
    token,
    // Each environment keeps its own lock and audit log, as the directory and git targets do.
    stateDir: options.environment === undefined ? join(root, HTTP_STATE_DIR) : join(root, HTTP_STATE_DIR, options.environment),
    verify: options.verify,
    onStaleLockBroken: options.onStaleLockBroken,
  });
}
