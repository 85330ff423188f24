import type { Command } from "commander";

/** One line per command; each module adds its subcommand to the program. */
export const commands: ((program: Command) => void)[] = [];
