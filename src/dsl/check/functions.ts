import type { ExprType } from "./types.js";

/** Condition functions and their signatures (docs/language.md). */
export interface FunctionSignature {
  params: { name: string; type: "string"; literal?: boolean }[];
  /** How many trailing params may be left out. */
  optional: number;
  returns: ExprType;
}

export const FUNCTIONS: Record<string, FunctionSignature> = {
  segment: { params: [{ name: "name", type: "string", literal: true }], optional: 0, returns: "boolean" },
  semver: { params: [{ name: "version", type: "string" }], optional: 0, returns: "semver" },
  date: { params: [{ name: "day", type: "string" }], optional: 0, returns: "date" },
  lower: { params: [{ name: "text", type: "string" }], optional: 0, returns: "string" },
  len: { params: [{ name: "text", type: "string" }], optional: 0, returns: "number" },
  in_experiment: {
    params: [
      { name: "experiment", type: "string", literal: true },
      { name: "variant", type: "string", literal: true },
    ],
    optional: 1,
    returns: "boolean",
  },
};
