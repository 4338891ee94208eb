// Loaded with `node --import` (through NODE_OPTIONS, so every child Node process gets it too):
// resolves `better-sqlite3` to the copy named by NSATLAS_TEST_BETTER_SQLITE3. better-sqlite3 is
// not N-API, so a test run under another Node than the tree was built for (.ci/run's Node 22
// unit run) needs a build of its own — also in the servers and CLIs the tests spawn.
import { register } from "node:module";

const copy = process.env.NSATLAS_TEST_BETTER_SQLITE3;
if (copy) register("./better-sqlite3-resolve.mjs", import.meta.url, { data: { copy } });
