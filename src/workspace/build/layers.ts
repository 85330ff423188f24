import type { Holdout, Layer, Origin } from "../model.js";
import type { FileBuild } from "./context.js";

type Raw = Record<string, any>;

/** Layers and holdouts share layers.yaml; each keeps the file's origin (paths are "layers.<key>", "holdouts.<key>"). */
export function buildLayers(b: FileBuild, raw: Raw): { layers: Layer[]; holdouts: Holdout[] } {
  const origin: Origin = b.origin;
  const layers = Object.entries((raw.layers ?? {}) as Record<string, Raw>).map(([key, l]) => ({
    key,
    ...(l?.description !== undefined ? { description: l.description } : {}),
    origin,
  }));
  const holdouts = Object.entries((raw.holdouts ?? {}) as Record<string, Raw>).map(([key, h]) => ({
    key,
    traffic: b.share(`holdouts.${key}.traffic`, h.traffic),
    ...(h.description !== undefined ? { description: h.description } : {}),
    origin,
  }));
  return { layers, holdouts };
}
