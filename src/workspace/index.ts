/** The workspace loader's public API. */
export { loadWorkspace, type LoadResult } from "./load.js";
export { findWorkspaceRoot } from "./root.js";
export { formatSource } from "./format.js";
export type { FileKind } from "./schema.js";
export { WorkspaceCodes } from "./codes.js";
export { CheckCodes } from "./checks/codes.js";
export { specifiedChecks, runChecks } from "./checks/registry.js";
export type { Check, CheckContext } from "./checks/context.js";
export type * from "./model.js";
