import type { Namespace, Process, StackSandbox } from "@nsatlas/protocol";
import { resolveNamespaceName } from "@nsatlas/protocol/stack-name";

export { holderText } from "@nsatlas/protocol/stack-name";

/** The name a person would call a namespace by (the shared resolver: initial, netns name, pod,
 * container, compose service, pin path, `unnamed (pid N command)`), for the CLI's NAME columns. */
export function namespaceName(
  ns: Namespace,
  processOf: (pid: number) => Process | undefined,
  sandbox?: StackSandbox | null,
): string {
  return resolveNamespaceName(ns, processOf, sandbox).name;
}
