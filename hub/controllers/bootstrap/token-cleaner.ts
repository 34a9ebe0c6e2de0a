// Expired bootstrap tokens are deleted (kube-controller-manager's tokencleaner): each token Secret
// in kube-system is reconciled when it appears or changes and again at its expiry. The broker
// refuses an expired token on its own (hub/broker/bootstrap-tokens.ts); this removes it from the
// store and from `flotilla token list`.
import {
  bootstrapTokenNamespace,
  isExpired,
  readBootstrapTokenSecret,
} from '../../../api/bootstrap-token.js';
import { objectKey, splitKey } from '../../client/informer.js';
import type { Requeue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';

const secrets = { group: '', resource: 'secrets' };

export class TokenCleaner extends ReconcilingController {
  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'tokencleaner', queue: 'token_cleaner', failures: { component: 'token cleaner' } });
  }

  protected watches(): Watch[] {
    return [
      {
        resource: secrets,
        on: ['add', 'update'],
        keys: (secret) =>
          secret.metadata.namespace === bootstrapTokenNamespace ? objectKey(secret) : undefined,
      },
    ];
  }

  async reconcile(key: string): Promise<Requeue | undefined> {
    const secret = this.ctx.informers.for(secrets).get(key);
    if (!secret) return undefined;
    const token = readBootstrapTokenSecret(secret);
    if (typeof token === 'string' || !token.expiration) return undefined;
    const now = this.ctx.clock.now();
    // Looked at again at least hourly: a timer cannot wait past 24.8 days, and clocks jump.
    if (!isExpired(token, now)) {
      return { requeueAfterMs: Math.min(token.expiration.getTime() - now.getTime(), 3600_000) };
    }
    const { namespace, name } = splitKey(key);
    await ignoreNotFound(
      this.ctx.registry.for(secrets).delete(namespace, name, {
        dryRun: false,
        preconditions: { uid: secret.metadata.uid },
      }),
    );
    this.log.info(`deleted expired bootstrap token ${token.id}`);
    return undefined;
  }
}
