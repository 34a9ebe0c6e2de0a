// The broker's policy hooks. Every decision comes from api/mqtt (credentials, access rules,
// payload validators); every refusal is logged with the client id and the topic; no hook ever
// throws (an exception inside an aedes callback would take the whole broker down).
import type { AedesOptions, AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import type { Logger } from '../../api/logger.js';
import { describeIdentity, mayPublish, maySubscribe } from '../../api/mqtt/access.js';
import { isSparkplugTopic, maySparkplugPublish } from '../../api/sparkplug/access.js';
import type { BrokerTokens } from './broker-tokens.js';
import { checkPayload } from './checked-payloads.js';
import { identifyClient } from './identify-client.js';
import type { NodeCredentials } from './node-credentials.js';
import type { NodeSessions } from './node-sessions.js';

/**
 * Where a valid-topic publish with a bad payload goes: acknowledged (so the gateway does not
 * resend it forever) but delivered to no one — no client may subscribe to a `$` topic here.
 * A batch with some bad items is not dropped: the hub applies the rest and refuses those.
 */
export const droppedTopic = '$flotilla/dropped';

const serverUnavailable = 3;

type Hooks = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;

function authError(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Tells a gateway that its message on `route` was not applied (the `refused` route). */
export type RefuseFn = (node: string, route: string, reason: string) => void;

export function brokerHooks(
  tokens: BrokerTokens,
  sessions: NodeSessions,
  credentials: NodeCredentials,
  log: Logger,
  refuse: RefuseFn,
): Hooks {
  const refusePublish = (
    client: Client | null,
    topic: string,
    reason: string,
    done: (err?: Error) => void,
  ) => {
    log.warn(`refused publish by ${client?.id ?? '(no client)'} to ${topic}: ${reason}`);
    done(new Error(reason));
  };

  return {
    authenticate(client, username, password, done) {
      const refuse = (returnCode: number, reason: string) => {
        log.warn(
          `refused connection of ${client.id} (username ${JSON.stringify(username ?? '')}): ${reason}`,
        );
        done(authError(returnCode, reason), false);
      };
      const fail = (err: unknown) => {
        log.warn(`authentication of ${client.id} failed: ${(err as Error).message}`);
        done(authError(serverUnavailable, 'server unavailable'), false);
      };
      try {
        const found = identifyClient(
          { clientId: client.id, username: username ?? undefined, password: password?.toString('utf8') },
          tokens,
        );
        if (!found.ok) return refuse(found.returnCode, found.reason);
        const who = found.identity;
        if (who.role !== 'node') {
          sessions.identify(client, who);
          return done(null, true);
        }
        // Every connect of a gateway is checked against its name's bound key, online or not.
        credentials.verify(who.node, found.nodeKey ?? '', found.joinToken).then((checked) => {
          if (!checked.ok) return refuse(checked.returnCode, checked.reason);
          if (checked.joinedWith) {
            log.info(
              `node ${who.node} joined with bootstrap token ${checked.joinedWith}; its node key is bound`,
            );
          }
          sessions.claim(who.node, client);
          sessions.identify(client, who);
          done(null, true);
        }, fail);
      } catch (err) {
        fail(err);
      }
    },

    authorizePublish(client, packet: PublishPacket, done) {
      try {
        const topic = packet.topic;
        // Replacing the default hook drops aedes's own $SYS guard (aedes issue #597): keep it.
        if (topic.startsWith('$SYS')) return refusePublish(client, topic, '$SYS/ topics are reserved', done);
        const who = sessions.identity(client);
        if (!who || !client) return refusePublish(client, topic, 'unknown client', done);
        if (who.role === 'node' && !sessions.isCurrent(who.node, client)) {
          return refusePublish(client, topic, `session of ${describeIdentity(who)} was taken over`, done);
        }
        if (isSparkplugTopic(topic)) {
          const sparkplug = maySparkplugPublish(who, topic);
          return sparkplug.allowed ? done(null) : refusePublish(client, topic, sparkplug.reason, done);
        }
        const decision = mayPublish(who, topic);
        if (!decision.allowed) return refusePublish(client, topic, decision.reason, done);
        packet.retain = decision.route.retain;
        if (decision.route.direction === 'agent-to-hub') {
          const checked = checkPayload(decision.route, packet.payload);
          if (!checked.ok) {
            log.warn(`dropped ${topic} from ${client.id}: ${checked.error}`);
            packet.topic = droppedTopic;
            packet.retain = false;
            // Never a closed connection for a bad payload: the gateway is told instead.
            if (who.role === 'node') refuse(who.node, decision.route.name, checked.error);
          }
        }
        done(null);
      } catch (err) {
        refusePublish(client, packet.topic, `internal error: ${(err as Error).message}`, done);
      }
    },

    authorizeSubscribe(client, subscription: Subscription, done) {
      try {
        const who = sessions.identity(client);
        const decision = who
          ? maySubscribe(who, subscription.topic)
          : { allowed: false, reason: 'unknown client' };
        if (!decision.allowed) {
          log.warn(`refused subscription by ${client.id} to ${subscription.topic}: ${decision.reason}`);
          return done(null, null);
        }
        done(null, subscription);
      } catch (err) {
        log.warn(`subscription by ${client.id} to ${subscription.topic} failed: ${(err as Error).message}`);
        done(null, null);
      }
    },
  };
}
