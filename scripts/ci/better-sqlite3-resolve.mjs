// Module resolve hook of better-sqlite3-hook.mjs.
import { pathToFileURL } from "node:url";

let target = null;

export function initialize({ copy }) {
  target = pathToFileURL(`${copy}/lib/index.js`).href;
}

export function resolve(specifier, context, next) {
  if (target && specifier === "better-sqlite3") return { url: target, format: "commonjs", shortCircuit: true };
  return next(specifier, context);
}
