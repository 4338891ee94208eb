// Entry of a simulated host, run as pid 1 of its own pid namespace by SimulatedHost:
//   node sim-host-entry.js HOSTNAME AGENT_MAIN_JS run --hub … (agent arguments)
// It names its UTS namespace (what the agent's scan reads from /proc/sys/kernel/hostname),
// then becomes the agent in this same process, so the agent is the simulated host's init.
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [hostname, agentMain, ...args] = process.argv.slice(2);
if (!hostname || !agentMain) {
  process.stderr.write("usage: sim-host-entry HOSTNAME AGENT_MAIN_JS AGENT_ARGS...\n");
  process.exit(2);
}
// Writing the sysctl sets the hostname of the UTS namespace this process is in (uts_namespaces(7)).
writeFileSync("/proc/sys/kernel/hostname", hostname);
const { main } = (await import(pathToFileURL(agentMain).href)) as { main: (argv: string[]) => Promise<number> };
process.exitCode = await main(args);
process.exit();
