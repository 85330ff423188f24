import { diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { MIN_UNIT_ID_KEY_BYTES } from "../runtime/server/privacy/unit-id-hash.js";
import type { Settings } from "../workspace/model.js";
import { resolveSecret } from "../workspace/secret.js";
import { APP_CODES } from "./codes.js";

/** Where the unit-id secret comes from when exp.yaml does not say. */
export const DEFAULT_UNIT_ID_SECRET = "env:EXP_UNIT_ID_SECRET";

/**
 * The HMAC key unit ids are hashed with (docs/privacy.md): undefined when `privacy.hash_unit_ids`
 * is off. A secret that is not set, or shorter than MIN_UNIT_ID_KEY_BYTES, is an error diagnostic
 * pointing at the setting, so that `exp validate` says so and `exp serve` refuses to start rather
 * than store raw ids, or hashes anyone could reverse by guessing.
 */
export function unitIdKey(settings: Settings, env: NodeJS.ProcessEnv = process.env): Result<Buffer | undefined> {
  const p = settings.privacy;
  if (!p.hash_unit_ids) return { value: undefined, diagnostics: [] };
  const setting = "privacy.unit_id_secret";
  const span = settings.origin.values[setting] ?? settings.origin.values["privacy.hash_unit_ids"];
  const secret = resolveSecret(p.unit_id_secret ?? DEFAULT_UNIT_ID_SECRET, setting, env, span);
  if (secret.value === undefined) return { diagnostics: secret.diagnostics };
  const bytes = Buffer.byteLength(secret.value);
  if (bytes < MIN_UNIT_ID_KEY_BYTES)
    return {
      diagnostics: [
        diagnostic(
          APP_CODES.badUnitIdKey,
          `the unit-id secret of "${setting}" is ${bytes} bytes long; it needs at least ${MIN_UNIT_ID_KEY_BYTES}.`,
          {
            span,
            suggestion: "set it to a long random string, e.g. $(openssl rand -hex 32), and keep it: a new one no longer matches stored ids",
          },
        ),
      ],
    };
  return { value: Buffer.from(secret.value), diagnostics: [] };
}
