// A real hub started in this process on a free port, with an API client bound to it.
import { rmSync } from 'node:fs';
import { type Hub, startHub } from '../../hub/main.js';
import { ApiClient } from './api-client.js';
import { tempDir } from './hub-process.js';

export interface TestHub {
  hub: Hub;
  api: ApiClient;
  dataDir: string;
  /** Stops the hub and starts a new one on the same data dir. */
  restart(): Promise<TestHub>;
  close(): Promise<void>;
}

export async function startTestHub(dataDir = tempDir('it')): Promise<TestHub> {
  const hub = await startHub({
    dataDir,
    bind: '127.0.0.1',
    apiPort: 0,
    serviceCIDR: '10.43.0.0/16',
    nodePortRange: '30000-32767',
    log: () => {},
  });
  const api = new ApiClient(hub.apiUrl, hub.caPem, hub.adminToken);
  return {
    hub,
    api,
    dataDir,
    restart: async () => {
      await hub.stop();
      return startTestHub(dataDir);
    },
    close: async () => {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
