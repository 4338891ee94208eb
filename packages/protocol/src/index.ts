export * from "./ids.js";
export * from "./inventory.js";
export * from "./namespace-types.js";
