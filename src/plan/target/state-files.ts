/** One file of a file-layout target and its new text. */
export interface StateFileWrite {
  name: string;
  text: string;
}

/**
 * Where a file-layout target (layout.ts) keeps `ruleset.v<N>.json`, `current` and `audit.log.jsonl`:
 * a folder (directory.ts) or a branch of a git repository (git.ts). Names are flat, without folders.
 */
export interface StateFiles {
  /** How a file is named in messages, e.g. ".exp/published/current" or "exp-published:current". */
  shown(name: string): string;
  /** The text of a file, undefined when it does not exist. */
  read(name: string): Promise<string | undefined>;
  /** The names of the files present. */
  list(): Promise<string[]>;
  /**
   * Writes the files in the order given, each replacing its file atomically, so a crash leaves a
   * prefix of them written; a store that can write them all at once (one git commit) does so.
   * `why` describes the change (a git commit message).
   */
  write(files: readonly StateFileWrite[], why: string): Promise<void>;
}
