// The controller manager: starts every controller inside the hub process on shared informers.
import type { Clock } from '../../api/clock.js';
import type { Registry } from '../apiserver/registry/registry.js';
import { NamespaceController } from './namespace-controller.js';
import type { Controller, ControllerContext } from './runtime/controller.js';
import { SharedInformers } from './runtime/shared-informers.js';

export interface RunningControllers {
  context: ControllerContext;
  stop(): Promise<void>;
}

/** Every controller the hub runs, in start order. */
const controllerFactories: ((ctx: ControllerContext) => Controller)[] = [
  (ctx) => new NamespaceController(ctx),
];

export function startControllers(
  registry: Registry,
  clock: Clock,
  log: (line: string) => void = (line) => console.log(line),
): RunningControllers {
  const informers = new SharedInformers(registry.store);
  const context: ControllerContext = { registry, informers, clock, log };
  const controllers = controllerFactories.map((make) => make(context));
  for (const controller of controllers) controller.start();
  return {
    context,
    stop: async () => {
      for (const controller of controllers) controller.stop();
      informers.stop();
    },
  };
}
