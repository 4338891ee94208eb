export type { EngineContainer } from "./engine-container.js";
export { EngineSet, type EngineView, type UnreachableEngine } from "./engine-set.js";
export { defaultEngineSockets, type EngineSockets, engineSockets } from "./engine-sockets.js";
export { joinContainers } from "./join.js";
export { capLabels } from "./labels.js";
export { DEFAULT_TIMING, type EngineTiming } from "./watched-engine.js";
