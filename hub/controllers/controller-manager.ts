// The controller manager: starts every controller inside the hub process.
import type { Clock } from '../../api/clock.js';
import type { Registry } from '../apiserver/registry/registry.js';
import { NamespaceController } from './namespace-controller.js';

export interface RunningControllers {
  stop(): Promise<void>;
}

export function startControllers(registry: Registry, _clock: Clock): RunningControllers {
  const namespaces = new NamespaceController(registry);
  namespaces.start();
  return {
    stop: async () => {
      namespaces.stop();
    },
  };
}
