import { Command } from "commander";
import { commands } from "./commands.js";
import { VERSION } from "../version.js";

/** Entry point of `bin/exp`: builds the commander program from the command registry and runs it. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command("exp")
    .description("Experiments as code: validate, plan, apply, serve and analyse experiments and feature flags from git.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run exp --help for usage)")
    .configureOutput({ outputError: (str, write) => write(str) });
  program.exitOverride((err) => {
    // commander's own usage errors (unknown option, missing argument) are user errors: exit 1, no stack.
    process.exit(err.exitCode === 0 ? 0 : 1);
  });
  for (const register of commands) register(program);
  await program.parseAsync(argv);
}
