import { readFileSync } from "node:fs";
import { packageAsset } from "../../../fsio/package-assets.js";

/** The live view's page: plain files shipped with the package (package.json "files"), no build step. */
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

const FOLDER = ["src", "runtime", "server", "live-view", "page"];
const cache = new Map<string, { type: string; body: Buffer }>();

/** A file of the page by name, read once; undefined for a name that is not one. */
export function pageAsset(name: string): { type: string; body: Buffer } | undefined {
  const known = cache.get(name);
  if (known) return known;
  const type = TYPES[name.slice(name.lastIndexOf(".") + 1)];
  if (!type || !/^[a-z-]+\.[a-z]+$/.test(name)) return undefined;
  let body: Buffer;
  try {
    body = readFileSync(packageAsset(...FOLDER, name));
  } catch {
    return undefined;
  }
  const asset = { type, body };
  cache.set(name, asset);
  return asset;
}
