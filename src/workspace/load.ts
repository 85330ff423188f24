import { readdirSync } from "node:fs";
import { join } from "node:path";
import { diagnostic, type Diagnostic, type Result } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import type { BooleanLit, CheckEnv } from "../dsl/index.js";
import { FileBuild } from "./build/context.js";
import { buildExperiment } from "./build/experiment.js";
import { buildFlag } from "./build/flag.js";
import { buildLayers } from "./build/layers.js";
import { buildMetric } from "./build/metric.js";
import { buildSegment } from "./build/segment.js";
import { buildSettings } from "./build/settings.js";
import { loadEvaluations } from "./evaluation.js";
import type { DeclaredFile, KnownNames } from "./checks/context.js";
import { runChecks } from "./checks/registry.js";
import { WorkspaceCodes as C } from "./codes.js";
import { entryExists, resolveInside, workspaceRoot, type WorkspaceRoot } from "./containment.js";
import { parseYamlFile, type ParsedFile } from "./parse-file.js";
import { fileDiag } from "./read.js";
import type { Origin, Workspace } from "./model.js";

/** The workspace is present whenever exp.yaml loaded; files with errors are left out of it. */
export type LoadResult = Result<Workspace>;

const FOLDERS = [
  ["metrics", "metric"],
  ["experiments", "experiment"],
  ["flags", "flag"],
  ["segments", "segment"],
] as const;

/** Loads, schema-checks, type-checks and cross-checks the workspace at `root` (the folder holding exp.yaml). */
export async function loadWorkspace(root: string): Promise<LoadResult> {
  const where = workspaceRoot(root);
  const abs = where.abs;
  // A link named exp.yaml counts as present even when broken or refused: reading it reports why.
  if (!entryExists(join(abs, "exp.yaml"))) {
    return {
      diagnostics: [diagnostic(C.noWorkspace, `no exp.yaml in "${abs}"; run "exp init" there or pass --dir <workspace>`)],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const jobs: Promise<ParsedFile>[] = [parseYamlFile(where, "exp.yaml", "exp")];
  if (entryExists(join(abs, "layers.yaml"))) jobs.push(parseYamlFile(where, "layers.yaml", "layers"));
  for (const [folder, kind] of FOLDERS) {
    for (const name of listFolder(where, folder, diagnostics)) {
      const rel = `${folder}/${name}`;
      if (name.endsWith(".yaml")) jobs.push(parseYamlFile(where, rel, kind));
      else if (/\.ya?ml$/i.test(name)) diagnostics.push(ymlWarning(rel));
    }
  }
  const parsed = await Promise.all(jobs);
  const files = new Map<string, SourceFile>();
  for (const p of parsed) {
    if (p.file) files.set(p.path, p.file);
    diagnostics.push(...p.diagnostics);
  }
  const settingsFile = parsed[0]!;
  if (!settingsFile.raw || !settingsFile.tree || !settingsFile.file) return { diagnostics };
  const settingsBuild = new FileBuild(settingsFile.file, settingsFile.tree);
  const settings = buildSettings(settingsBuild, settingsFile.raw);
  diagnostics.push(...settingsBuild.diagnostics);

  const ws: Workspace = {
    root: abs,
    settings,
    segments: new Map(),
    metrics: new Map(),
    experiments: new Map(),
    flags: new Map(),
    layers: new Map(),
    holdouts: new Map(),
    files,
  };
  const known: KnownNames = { metrics: new Set(), experiments: new Set(), flags: new Set(), segments: new Set(), layers: new Set() };
  const brokenExperimentVariants = new Map<string, string[]>();
  const declared: DeclaredFile[] = [];
  for (const p of parsed.slice(1)) {
    if (p.kind === "layers") {
      const layerNames = p.rawish && typeof p.rawish.layers === "object" && p.rawish.layers ? Object.keys(p.rawish.layers) : [];
      for (const l of layerNames) known.layers.add(l);
      if (!p.raw || !p.tree || !p.file) continue;
      const layersBuild = new FileBuild(p.file, p.tree);
      const { layers, holdouts } = buildLayers(layersBuild, p.raw);
      diagnostics.push(...layersBuild.diagnostics);
      for (const l of layers) ws.layers.set(l.key, l);
      for (const h of holdouts) ws.holdouts.set(h.key, h);
      continue;
    }
    if (p.kind === "exp" || p.kind === "evaluation") continue;
    const stem = p.path.slice(p.path.indexOf("/") + 1, -".yaml".length);
    const keyField = p.rawish?.[p.kind];
    const key = typeof keyField === "string" ? keyField : undefined;
    declared.push({ kind: p.kind, path: p.path, stem, ...(key !== undefined ? { key, keySpan: p.tree?.origin.values[p.kind] } : {}) });
    const set =
      p.kind === "metric" ? known.metrics : p.kind === "experiment" ? known.experiments : p.kind === "flag" ? known.flags : known.segments;
    set.add(stem);
    if (key !== undefined) set.add(key);
    if (!p.raw || !p.tree || !p.file) {
      if (p.kind === "experiment" && p.rawish?.variants && typeof p.rawish.variants === "object")
        brokenExperimentVariants.set(key ?? stem, Object.keys(p.rawish.variants));
      continue;
    }
    const b = new FileBuild(p.file, p.tree);
    if (p.kind === "metric") add(ws.metrics, buildMetric(b, p.raw, settings));
    else if (p.kind === "experiment") add(ws.experiments, buildExperiment(b, p.raw, settings));
    else if (p.kind === "flag") add(ws.flags, buildFlag(b, p.raw));
    else add(ws.segments, buildSegment(b, p.raw));
    diagnostics.push(...b.diagnostics);
  }

  const brokenFiles = new Set(diagnostics.filter((d) => d.severity === "error" && d.span).map((d) => d.span!.file));
  diagnostics.push(...runChecks({ workspace: ws, env: checkEnv(ws, known, brokenExperimentVariants), known, declared, brokenFiles }));
  dropFilesWithErrors(ws, diagnostics);
  diagnostics.push(...(await loadEvaluations(where, listFolder(where, "evaluations", diagnostics), ws)));
  return { value: ws, diagnostics };
}

function add<T extends { key: string }>(map: Map<string, T>, v: T | undefined): void {
  if (v && !map.has(v.key)) map.set(v.key, v);
}

/**
 * The names in one model folder that may be workspace files: everything but sub-folders. Links, pipes and
 * devices are listed so that reading them reports the rule they break instead of skipping them silently.
 * A folder that is itself a link is listed only when the containment rule allows it.
 */
function listFolder(root: WorkspaceRoot, folder: string, diagnostics: Diagnostic[]): string[] {
  if (!entryExists(join(root.abs, folder))) return [];
  const where = resolveInside(root, folder, "folder");
  if (!where.ok) {
    if (where.code !== C.unreadable) diagnostics.push(fileDiag(where.code, where.message, `${folder}/`));
    return [];
  }
  try {
    return readdirSync(where.path, { withFileTypes: true })
      .filter((e) => !e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function ymlWarning(rel: string): Diagnostic {
  return diagnostic(C.ymlExtension, `"${rel}" is ignored: workspace files end in ".yaml"; rename it`, {
    span: { file: rel, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 },
  });
}

/** The expression checks' view of the workspace; names from files that failed to load still resolve, to avoid cascades. */
function checkEnv(ws: Workspace, known: KnownNames, brokenVariants: Map<string, string[]>): CheckEnv {
  const placeholderOrigin: Origin = { file: "", values: {}, keys: {} };
  return {
    attributes: ws.settings.attributes,
    events: ws.settings.events,
    segment(name) {
      const s = ws.segments.get(name);
      if (s) return { when: s.when, origin: s.origin };
      if (!known.segments.has(name)) return undefined;
      const when: BooleanLit = {
        kind: "boolean",
        value: true,
        span: { file: "", line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 },
      };
      return { when, origin: placeholderOrigin };
    },
    segmentNames: () => [...known.segments].sort(),
    experiment(key) {
      const e = ws.experiments.get(key);
      if (e) return { variants: e.variants.map((v) => v.key) };
      if (known.experiments.has(key)) return { variants: brokenVariants.get(key) ?? [] };
      return undefined;
    },
    experimentKeys: () => [...known.experiments].sort(),
  };
}

/** A file with an error is left out of the model, so later stages only ever see sound objects. */
function dropFilesWithErrors(ws: Workspace, diagnostics: Diagnostic[]): void {
  const bad = new Set(diagnostics.filter((d) => d.severity === "error" && d.span).map((d) => d.span!.file));
  for (const map of [ws.metrics, ws.experiments, ws.flags, ws.segments, ws.layers, ws.holdouts] as Map<string, { origin: Origin }>[]) {
    for (const [k, v] of map) if (bad.has(v.origin.file)) map.delete(k);
  }
}
