import { startE2eServer } from "./server";

/** Starts one real server for every journey; its URL reaches the tests through the env. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startE2eServer();
  process.env.NSATLAS_E2E_URL = server.url;
  process.env.NSATLAS_E2E_DATA_DIR = server.dataDir;
  return () => server.stop();
}
