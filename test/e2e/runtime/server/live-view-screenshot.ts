// Takes docs/live-view.png: the live view of a server with planted exposures, live statistics and
// a breached guard, in headless Chromium. Run it after changing the page, and commit the image:
//
//   node --import tsx test/e2e/runtime/server/live-view-screenshot.ts [out.png]
//
// The Chromium test (live-view.test.ts) checks the same scene; it never writes this file.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openPage } from "../../../helpers/chromium-page.js";
import { waitUntil } from "../../../helpers/wait.js";
import { liveViewScene, SCENE_KEYS, signIn } from "./live-view-scene.js";

const out = process.argv[2] ?? fileURLToPath(new URL("../../../../docs/live-view.png", import.meta.url));
const scene = await liveViewScene();
const page = await openPage(`${scene.server.url}/live`, { width: 1100, height: 900 });
try {
  await signIn(page, SCENE_KEYS.analyst);
  scene.breach();
  const shown = await waitUntil(() => page.evaluate<boolean>(`document.querySelector(".guard.breached") !== null`), 15_000, 50);
  if (!shown) throw new Error("the live view did not show the breach");
  // The highlight of changed sections has run out, so the picture shows the page at rest.
  await page.emulateMedia("prefers-reduced-motion", "reduce");
  writeFileSync(out, await page.screenshot());
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await page.close();
  await scene.close();
}
