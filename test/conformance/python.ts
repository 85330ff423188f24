import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The Python the SDK is held to: Debian's 3.11 (EXP_PYTHON overrides it, e.g. to try another version). */
export const PYTHON = process.env.EXP_PYTHON || (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const SDK = fileURLToPath(new URL("../../sdk/python/", import.meta.url));
/** Runs the SDK from the checkout, uninstalled. */
export const PYTHON_ENV = { ...process.env, PYTHONPATH: SDK, PYTHONDONTWRITEBYTECODE: "1", PYTHONIOENCODING: "utf-8" };
