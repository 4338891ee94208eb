export { buildNsHolder } from "./ns-holder.js";
export { fuzzRawHttp, type RawReply, rawHttp, rawRequestArbitrary } from "./raw-http.js";
export { defaultAgentMain, SimulatedHost, type SimulatedHostOptions } from "./simulated-host.js";
export { makeTestCertificates, type TestCertificates } from "./test-certificates.js";
export { ensureDir, type Spawned, TEST_PREFIX, World, waitFor } from "./world.js";
