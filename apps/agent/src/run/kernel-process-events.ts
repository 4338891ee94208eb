import { startProcessEvents, takeProcessEvents, takeProcessExecs } from "@nsatlas/native";
import type { ProcessEvents } from "./process-set.js";

/** The netlink proc connector of the native addon, as the scan loop's process events. */
export const kernelProcessEvents: ProcessEvents = {
  start: startProcessEvents,
  take: takeProcessEvents,
  takeExecs: takeProcessExecs,
};
