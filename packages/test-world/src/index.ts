export {
  busyboxImageArchive,
  busyboxRootfs,
  containerdTaskPid,
  type EngineDaemon,
  type KubeletPod,
  runKubeletPod,
  startContainerd,
  startDockerd,
  startPodman,
} from "./engine-daemons.js";
export { initialStackInventory, SAMPLE_INITIAL_NET, sampleInventory, sampleProcess } from "./inventories.js";
export { type NatsServer, startNatsServer } from "./nats.js";
export { buildNsHolder } from "./ns-holder.js";
export { postgresAvailable, startPostgres, type TestPostgres } from "./postgres.js";
export { fuzzRawHttp, type RawReply, rawHttp, rawRequestArbitrary, rawUpgrade } from "./raw-http.js";
export { defaultAgentMain, SimulatedHost, type SimulatedHostOptions } from "./simulated-host.js";
export { makeTestCertificates, type TestCertificates } from "./test-certificates.js";
export { childrenOf, ensureDir, nsLinkInode, type Spawned, TEST_PREFIX, World, waitFor } from "./world.js";
