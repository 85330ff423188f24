// The import rules of the READMEs of src/cli, src/app and src/demo, checked on the sources.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const SRC = new URL("../../src/", import.meta.url).pathname;

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
}

function sources(folder: string): string[] {
  return readdirSync(join(SRC, folder))
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(SRC, folder, f));
}

test("no command file imports another command file", () => {
  const commands = [...readFileSync(join(SRC, "cli/commands.ts"), "utf8").matchAll(/import\("\.\/([a-z-]+)\.js"\)/g)].map((m) => m[1]!);
  assert.ok(commands.length >= 18, "commands.ts lists the commands");
  for (const name of commands) {
    const wrong = imports(join(SRC, `cli/${name}.ts`)).filter((i) => commands.some((c) => i === `./${c}.js`));
    assert.deepEqual(wrong, [], `src/cli/${name}.ts imports a command`);
  }
});

test("src/app imports neither the command line, the UI nor the demo, and never prints", () => {
  for (const file of sources("app")) {
    const wrong = imports(file).filter((i) => /^\.\.\/(cli|ui|demo)\//.test(i));
    assert.deepEqual(wrong, [], file);
    assert.doesNotMatch(readFileSync(file, "utf8"), /process\.(stdout|stderr)|console\./, file);
  }
});

test("src/demo goes through src/app, not the command line or the UI", () => {
  for (const file of sources("demo"))
    assert.deepEqual(
      imports(file).filter((i) => /^\.\.\/(cli|ui)\//.test(i)),
      [],
      file,
    );
  assert.match(readFileSync(join(SRC, "demo/run.ts"), "utf8"), /from "\.\.\/app\/write-reports\.js"/);
});
