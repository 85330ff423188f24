// Runs the `exp` command line from source, so CLI tests need no build of dist/.
import { main } from "../../../src/cli/main.js";

await main(process.argv);
