import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { experiment, workspace } from "./fixture.js";

/** A running split-URL experiment beside an A/B one, compiled. */
export function splitUrlRuleset() {
  const landing = experiment("landing", {
    type: "split_url",
    variants: [
      { key: "control", weight: 1, url: "https://shop.example.com/" },
      { key: "gifts", weight: 1, url: "https://shop.example.com/gifts?src=split" },
    ],
  });
  return compileRuleset(workspace({ experiments: [landing, experiment("plain")] }), { createdAt: "2026-12-01T00:00:00.000Z" }).value;
}
