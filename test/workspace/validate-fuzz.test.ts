import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runValidate } from "../../src/cli/validate.js";
import { assertWellFormed, copyExample, workspaceFiles } from "./fuzz-support.js";
import { mutate, rng } from "./mutate.js";

const CASES = Number(process.env.EXP_FUZZ_CASES ?? 2000);
const SEED = Number(process.env.EXP_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

test(`fuzz: ${CASES} mutations of the example workspace (EXP_FUZZ_SEED=${SEED})`, async () => {
  process.stdout.write(`# fuzz seed ${SEED} (replay with EXP_FUZZ_SEED=${SEED})\n`);
  const random = rng(SEED);
  const dir = copyExample();
  try {
    const files = workspaceFiles(dir);
    const originals = new Map(files.map((f) => [f, readFileSync(join(dir, f))]));
    let failing = 0;
    for (let i = 0; i < CASES; i++) {
      const file = files[Math.floor(random() * files.length)]!;
      let bytes: Uint8Array = originals.get(file)!;
      const steps: string[] = [];
      const n = 1 + Math.floor(random() * 3);
      for (let k = 0; k < n; k++) {
        const m = mutate(bytes, random);
        bytes = m.bytes;
        steps.push(m.what);
      }
      writeFileSync(join(dir, file), bytes);
      const context = `case ${i} (seed ${SEED}) ${file}: ${steps.join("; ")}`;
      let r;
      try {
        r = await runValidate({ dir, format: "json" });
      } catch (err) {
        assert.fail(`${context}: exception escaped: ${(err as Error).stack}`);
      }
      assertWellFormed(r.stdout, r.exitCode, dir, context);
      if (r.exitCode) failing++;
      writeFileSync(join(dir, file), originals.get(file)!);
    }
    // Most random damage must be caught; a fuzz run where nothing fails tests nothing.
    assert.ok(failing > CASES / 4, `only ${failing} of ${CASES} mutated workspaces had errors`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
