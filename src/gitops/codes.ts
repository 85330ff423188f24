import { defineCodes } from "../diagnostics/codes.js";

/** GitOps codes: EXP75xx (EXP70xx–74xx are left to reports). */
export const gitopsCodes = defineCodes({
  missingEnv: { code: "EXP7501", severity: "error", title: "A GitHub environment variable is missing" },
  badEvent: { code: "EXP7502", severity: "error", title: "The GitHub event file is unreadable or lacks the pull request" },
  apiFailed: { code: "EXP7503", severity: "error", title: "A GitHub API request failed" },
  badPlanFile: { code: "EXP7504", severity: "error", title: "The plan file is not valid plan JSON" },
  badBodyFile: { code: "EXP7505", severity: "error", title: "The markdown body file cannot be read" },
  noPlanSource: { code: "EXP7506", severity: "error", title: "No plan was given and none can be computed" },
  apiUnreachable: { code: "EXP7507", severity: "error", title: "The GitHub API could not be reached or did not answer in time" },
  badEnv: { code: "EXP7508", severity: "error", title: "A GitHub-related environment variable has an unusable value" },
  initNotEmpty: { code: "EXP7510", severity: "error", title: "exp init target folder is not empty" },
  initBadOption: { code: "EXP7511", severity: "error", title: "exp init option has an unsupported value" },
  initSkipped: { code: "EXP7512", severity: "warning", title: "exp init kept an existing file" },
});
