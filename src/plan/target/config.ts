import { readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { isMap, isScalar, parseDocument, type Node as YamlNode } from "yaml";
import { SourceFile } from "../../diagnostics/source.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { ExpError } from "../../diagnostics/errors.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import type { PublishTarget as PublishTargetConfig } from "../../workspace/model.js";
import { WorkspaceCodes } from "../../workspace/codes.js";
import { defaultEnvironmentPublish, selectEnvironment } from "../../workspace/environment.js";
import { findWorkspaceRoot } from "../../workspace/root.js";
import { PublishError } from "./errors.js";
import { stateCodes } from "./codes.js";

/**
 * Just enough of the workspace to find the publish target: the workspace root (the one lookup of
 * src/workspace/root.ts) and its `runtime.publish`. Stands in for the workspace loader, which will hand over Settings instead.
 */
export interface PublishLocation {
  root: string;
  config: PublishTargetConfig;
}

export const DEFAULT_PUBLISH_PATH = ".exp/published";
export const DEFAULT_PUBLISH: PublishTargetConfig = { type: "directory", path: DEFAULT_PUBLISH_PATH };
const TARGET_TYPES = ["directory", "git", "http"];
/** A branch name git accepts, and no path tricks ("..", a leading "-" or "/"). */
const BRANCH_RE = /^(?!-|\/)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![/.])$/;

export function readPublishLocation(start: string, environment?: string): PublishLocation {
  const root = findWorkspaceRoot(start);
  if (root === undefined)
    throw new PublishError(
      WorkspaceCodes.noWorkspace,
      `no exp.yaml found in "${start}" or any folder above it`,
      "run the command inside a workspace, pass --dir, or create one with `exp init`",
    );
  const text = readFileSync(join(root, "exp.yaml"), "utf8");
  return { root, config: parsePublishConfig(text, "exp.yaml", environment) };
}

/**
 * Reads the publish target from exp.yaml text: `runtime.publish`, or with `environment` (--env) that
 * environment's `publish` (src/workspace/environment.ts decides which environment is meant). A missing
 * block means the default directory target (`.exp/published`, or `.exp/published/<environment>`).
 */
export function parsePublishConfig(text: string, file = "exp.yaml", environment?: string): PublishTargetConfig {
  const source = new SourceFile(file, text);
  const doc = parseDocument(text, { version: "1.2", schema: "core" });
  const spanOf = (node: unknown): Span | undefined => {
    const range = (node as YamlNode | undefined)?.range;
    return range ? source.span(range[0], range[1]) : undefined;
  };
  const environments = doc.get("environments", true);
  const declared = isMap(environments) ? environments.items.map((i) => String(isScalar(i.key) ? i.key.value : i.key)) : undefined;
  const selected = selectEnvironment(declared, environment);
  if (selected.value === undefined) throw new ExpError(selected.diagnostics[0]!);
  if (selected.value === null) return parsePublishNode(doc.getIn(["runtime", "publish"], true), "runtime.publish", DEFAULT_PUBLISH);
  const name = selected.value;
  return parsePublishNode(
    doc.getIn(["environments", name, "publish"], true),
    `environments.${name}.publish`,
    defaultEnvironmentPublish(name),
  );

  function parsePublishNode(publish: unknown, label: string, fallback: PublishTargetConfig): PublishTargetConfig {
    const fail = (message: string, node?: unknown, suggestion?: string) =>
      new PublishError(stateCodes.targetConfig, message, undefined, spanOf(node), suggestion);
    if (publish === undefined || publish === null) return fallback;
    if (!isMap(publish)) throw fail(`"${label}" in ${file} must be a mapping with a "type"`, publish);
    const typeNode = publish.get("type", true);
    const type = isScalar(typeNode) ? typeNode.value : undefined;
    const str = (key: string): string | undefined => {
      const n = publish.get(key, true);
      if (n === undefined) return undefined;
      if (!isScalar(n) || typeof n.value !== "string" || n.value === "")
        throw fail(`"${label}.${key}" in ${file} must be a non-empty string`, n);
      return n.value;
    };
    if (type === "directory") return { type: "directory", path: str("path") ?? DEFAULT_PUBLISH_PATH };
    if (type === "git") {
      const branch = str("branch");
      if (branch !== undefined && (!BRANCH_RE.test(branch) || branch.endsWith(".lock")))
        throw fail(`"${label}.branch" in ${file} is not a usable branch name: "${branch}"`, publish.get("branch", true));
      const remote = str("remote");
      return { type: "git", ...(branch !== undefined ? { branch } : {}), ...(remote !== undefined ? { remote } : {}) };
    }
    if (type === "http") {
      const url = str("url");
      if (!url) throw fail(`"${label}" in ${file} has type "http" but no "url"`, publish);
      try {
        new URL(url);
      } catch {
        throw fail(`"${label}.url" in ${file} is not a URL: "${url}"`, publish.get("url", true));
      }
      const token = str("token");
      return token === undefined ? { type: "http", url } : { type: "http", url, token };
    }
    const shown = typeof type === "string" ? `"${type}"` : "missing";
    throw fail(
      `"${label}.type" in ${file} is ${shown}; use "directory", "git" or "http"`,
      typeNode ?? publish,
      typeof type === "string" ? didYouMean(type, TARGET_TYPES) : undefined,
    );
  }
}

export function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel === "" ? "." : isAbsolute(rel) || rel.startsWith("..") ? path : rel;
}
