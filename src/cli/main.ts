import { Command } from "commander";
import { commandModules } from "./commands.js";
import { reportFailure } from "./run.js";
import { VERSION } from "../version.js";

/** Entry point of `bin/exp`: builds the commander program and runs it. */
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
  // Load only the command being run; help, version and unknown commands see all of them.
  const name = argv[2];
  const one = commandModules.find(([n]) => n === name);
  const wanted = one ? [one] : name === "-V" || name === "--version" ? [] : commandModules;
  try {
    for (const register of await Promise.all(wanted.map(([, load]) => load()))) register(program);
    await program.parseAsync(argv);
  } catch (err) {
    // Actions report their own failures; this catches what fails around them, through the same printer.
    process.exitCode = reportFailure(err);
  }
}
