export * from "./frames.js";
export * from "./ids.js";
export * from "./inventory.js";
export * from "./namespace-types.js";
export * from "./netstack.js";
export * from "./rest.js";
