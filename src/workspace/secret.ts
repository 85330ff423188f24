import { diagnostic, type Result, type Span } from "../diagnostics/diagnostic.js";
import { WorkspaceCodes } from "./codes.js";

/**
 * A setting of exp.yaml that holds a secret (a warehouse URL, a publish token) is either the value
 * itself or `env:NAME`, read from the environment so that the secret stays out of git (docs/workspace.md).
 * `setting` is the setting's path in exp.yaml, e.g. "runtime.publish.token". A variable that is not
 * set (or is empty) is a diagnostic that names both and says to export it.
 */
export function resolveSecret(value: string, setting: string, env: NodeJS.ProcessEnv = process.env, span?: Span): Result<string> {
  if (!value.startsWith("env:")) return { value, diagnostics: [] };
  const name = value.slice("env:".length);
  const found = env[name];
  if (found !== undefined && found !== "") return { value: found, diagnostics: [] };
  return {
    diagnostics: [
      diagnostic(
        WorkspaceCodes.envNotSet,
        `"${setting}" reads the environment variable "${name}", which is not set; export ${name} and run the command again.`,
        { span, suggestion: `export ${name}=…` },
      ),
    ],
  };
}
