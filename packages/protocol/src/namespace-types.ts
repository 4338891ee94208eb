import { z } from "zod";
import { NAMESPACE_TYPES } from "./ids.js";

export const NamespaceType = z.enum(NAMESPACE_TYPES);
export type NamespaceType = z.infer<typeof NamespaceType>;

/** A namespace reference: `type:inode`, e.g. `net:4026531833`. */
export const NamespaceId = z.string().regex(/^(cgroup|ipc|mnt|net|pid|time|user|uts):[0-9]+$/);
export type NamespaceId = z.infer<typeof NamespaceId>;
