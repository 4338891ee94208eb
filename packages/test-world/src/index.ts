export { buildNsHolder } from "./ns-holder.js";
export { ensureDir, type Spawned, TEST_PREFIX, World, waitFor } from "./world.js";
