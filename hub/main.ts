// The hub process: store, API server and controllers, wired together. Only wiring lives here.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { systemClock } from '../api/clock.js';
import type { EncryptionConfig } from '../api/encryption/encryption-config.js';
import { type Logger, silentLogger } from '../api/logger.js';
import type { ApiRelayHub } from './api-relay/api-relay-hub.js';
import { advertisedAddresses, keepKubernetesService } from './api-relay/kubernetes-service.js';
import { startApiRelay } from './api-relay/start-api-relay.js';
import { createApiHandler } from './apiserver/api-server.js';
import { adminTokenUser, unionTokenAuthenticators } from './apiserver/auth/authenticate.js';
import { RbacCache } from './apiserver/auth/rbac-cache.js';
import { authenticateRequest, authorizeRequest } from './apiserver/auth/request-auth.js';
import { guardConnections } from './apiserver/http/connection-guard.js';
import { type ApiServerLimits, defaultApiServerLimits } from './apiserver/http/request-limits.js';
import { Registry } from './apiserver/registry/registry.js';
import { StreamUpgrade } from './apiserver/streaming/stream-upgrade.js';
import { ensureSystemObjects } from './bootstrap.js';
import { setControllerMetrics } from './client/controller-metrics.js';
import { SharedInformers } from './client/shared-informers.js';
import { registrationTaints, startCloudControllerManager } from './cloud/cloud-controllers.js';
import { type ControllerOptions, startControllerManager } from './controllers/controller-manager.js';
import {
  type ControllerContext,
  type RunningComponent,
  runControllers,
} from './controllers/runtime/controller.js';
import { defaultStaticDir, loadDashboardFiles } from './dashboard/dashboard-files.js';
import { dashboardHandler } from './dashboard/serve-dashboard.js';
import { prepareDataDir } from './data-dir.js';
import { type EdgeSync, startEdgeSync } from './edge-sync/edge-sync.js';
import { loadEncryptionConfig } from './encryption-at-rest.js';
import { defaultMqttPort, type RunningMqtt, startMqtt } from './hub-mqtt.js';
import { writeAdminKubeconfig } from './kubeconfig.js';
import { type HeartbeatView, NodeHeartbeats } from './node-heartbeats.js';
import { loadHubCredentials } from './pki/hub-credentials.js';
import { HubMetrics } from './prometheus/hub-metrics.js';
import { InstrumentedStore } from './prometheus/instrumented-store.js';
import { Scheduler } from './scheduler/scheduler.js';
import { serviceAccountAuth } from './serviceaccount/service-account-auth.js';
import { type RunningSparkplug, type SparkplugConfig, startSparkplug } from './sparkplug/start-sparkplug.js';
import { NedbStore } from './store/nedb-store.js';

export interface HubOptions {
  dataDir: string;
  bind: string;
  apiPort: number;
  serviceCIDR: string;
  nodePortRange: string;
  /** Embedded MQTT broker: TLS port (0 picks a free one), optional wss and plain (insecure) ports. */
  mqttPort?: number;
  mqttWsPort?: number | undefined;
  mqttInsecurePort?: number | undefined;
  /** The iss of ServiceAccount tokens, and the audience the API accepts (`--service-account-issuer`). */
  serviceAccountIssuer?: string | undefined;
  /** Extra names and addresses the serving certificates cover (`--tls-san`). */
  tlsSans?: string[];
  /** Desired-state coalescing window (ms); tests shorten it. */
  syncCoalesceMs?: number;
  controllers?: ControllerOptions;
  /** The API server's in-flight limits and timeouts; unset ones take kube-apiserver's defaults. */
  apiLimits?: Partial<ApiServerLimits>;
  /** The fleet as Sparkplug B edge nodes and devices (`--sparkplug-group`); off when absent. */
  sparkplug?: SparkplugConfig | undefined;
  log?: Logger;
}

export const defaultHubOptions = {
  bind: '0.0.0.0',
  apiPort: 6443,
  serviceCIDR: '10.43.0.0/16',
  nodePortRange: '30000-32767',
  mqttPort: defaultMqttPort,
  clusterCIDR: '10.42.0.0/16',
  nodeMonitorGracePeriodSeconds: 40,
  nodeStartupGracePeriodSeconds: 120,
  eventTTL: '1h',
};

/** The controller manager, the scheduler and the cloud controller manager, with what they share. */
export interface RunningControllers {
  context: ControllerContext;
  stop(): Promise<void>;
}

export interface Hub {
  apiUrl: string;
  apiPort: number;
  adminToken: string;
  caPem: string;
  kubeconfigPath: string;
  registry: Registry;
  mqtt: RunningMqtt;
  /** Gateways' messages into API objects and the objects out as each gateway's desired state. */
  edgeSync: EdgeSync;
  controllers: RunningControllers;
  /** Gateways' latest heartbeats, in memory (the stored Leases lag them by up to 30 s). */
  heartbeats: HeartbeatView;
  /** The Sparkplug B bridge, when configured. */
  sparkplug: RunningSparkplug | undefined;
  /** Prometheus metrics (served on the API's /metrics, and by `--metrics-bind`). */
  metrics: HubMetrics;
  stop(): Promise<void>;
}

function urlHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '::') return '127.0.0.1';
  return bind.includes(':') ? `[${bind}]` : bind;
}

export async function startHub(options: HubOptions): Promise<Hub> {
  // Each component logs as itself (`apiserver`, `broker`, `edge-sync`, `controller-manager/…`).
  const root = options.log ?? silentLogger;
  const log = root.child('hub');
  const releaseLock = prepareDataDir(options.dataDir);
  let encryption: EncryptionConfig;
  try {
    encryption = loadEncryptionConfig(options.dataDir);
  } catch (err) {
    releaseLock();
    throw err;
  }
  const metrics = new HubMetrics();
  // Work queues and the scheduler report to the process's hub (client-go's provider is global too).
  setControllerMetrics(metrics);
  const store = new InstrumentedStore(
    new NedbStore({ dataDir: options.dataDir, encryption, log: root.child('store') }),
    metrics,
  );
  let server: Server | undefined;
  let controllers: RunningControllers | undefined;
  let mqtt: RunningMqtt | undefined;
  let edgeSync: EdgeSync | undefined;
  let informers: SharedInformers | undefined;
  let rbac: RbacCache | undefined;
  let sparkplug: RunningSparkplug | undefined;
  let kubernetesSvc: { stop(): void } | undefined;
  let apiRelay: ApiRelayHub | undefined;
  const heartbeats = new NodeHeartbeats();
  try {
    const credentials = await loadHubCredentials(options.dataDir, options.bind, options.tlsSans);
    await store.open();
    const registry = await Registry.open(store, systemClock, {
      serviceCIDR: options.serviceCIDR,
      nodePortRange: options.nodePortRange,
      admission: { serviceAccount: true },
      log: root.child('apiserver'),
    });
    await ensureSystemObjects(registry);
    // One informer cache for the whole hub: controllers, scheduler and edge sync read the same
    // objects, so each store event is decoded and held once.
    informers = new SharedInformers(store, root.child('informers'));
    const serviceAccounts = serviceAccountAuth({
      dataDir: options.dataDir,
      issuer: options.serviceAccountIssuer,
      informers,
      clock: systemClock,
      log: root.child('apiserver'),
    });

    const hubMqtt = await startMqtt(registry, store, {
      informers,
      dataDir: options.dataDir,
      bind: options.bind,
      tls: { ...credentials.broker, caPem: credentials.ca.certPem },
      mqttPort: options.mqttPort ?? defaultMqttPort,
      mqttWsPort: options.mqttWsPort,
      mqttInsecurePort: options.mqttInsecurePort,
      log: root,
      metrics,
    });
    mqtt = hubMqtt;
    // Edge sync on the hub's link into the broker: attached now, it hears every gateway once the
    // broker listens (below), and what it publishes at once (the retained shared state) is kept.
    const sync = startEdgeSync({
      registry,
      store,
      publish: hubMqtt.publish,
      clock: systemClock,
      log: root.child('edge-sync'),
      informers,
      heartbeats,
      tokens: serviceAccounts.issuer,
      isBound: (node) => hubMqtt.credentials.isBound(node),
      retainedTopics: (filter) => hubMqtt.retainedTopics(filter),
      initialTaints: registrationTaints(options.controllers?.cloudProvider ?? 'none'),
      ...(options.syncCoalesceMs !== undefined ? { coalesceMs: options.syncCoalesceMs } : {}),
    });
    edgeSync = sync;
    hubMqtt.hear((message) => sync.receive(message));

    let ready = false;
    rbac = new RbacCache(store);
    const auth = {
      tokenUser: unionTokenAuthenticators(adminTokenUser(credentials.adminToken), (token) =>
        serviceAccounts.authenticator.authenticate(token),
      ),
      rbac,
    };
    const limits = { ...defaultApiServerLimits, ...options.apiLimits };
    const dashboardFiles = loadDashboardFiles();
    const serverAddress = `${urlHost(options.bind)}:${options.apiPort}`;
    // The key set's URL names the port, known once the server listens (port 0 picks one).
    const issuerDiscovery = serviceAccounts.discovery(`https://${serverAddress}`);
    const handler = createApiHandler({
      registry,
      store,
      clock: systemClock,
      ...auth,
      serverAddress,
      tokens: serviceAccounts.issuer,
      issuerDiscovery,
      isReady: () => ready,
      podLogs: mqtt.requests,
      usage: mqtt.usage,
      metrics,
      heartbeats,
      limits,
      dashboard: dashboardHandler(dashboardFiles),
      log: root.child('apiserver'),
    });
    server = createServer(
      {
        cert: credentials.serving.certPem,
        key: credentials.serving.keyPem,
        // Client certificates the hub's CA signed authenticate users (flotilla kubeconfig); a
        // client without one is asked for a token instead, so none is required.
        ca: credentials.ca.certPem,
        requestCert: true,
        rejectUnauthorized: false,
        handshakeTimeout: limits.headersTimeoutMs,
      },
      handler,
    );
    guardConnections(server, limits);
    const streamUpgrade = new StreamUpgrade({
      registry,
      authorize: (req, info) =>
        authorizeRequest(auth, authenticateRequest(auth, req), info, req.method ?? 'GET'),
      source: mqtt.requests,
      log: root.child('apiserver'),
    });
    server.on('upgrade', streamUpgrade.handle);
    await listen(server, options.apiPort, options.bind);
    const apiPort = (server.address() as AddressInfo).port;
    const keeper = keepKubernetesService(registry, {
      apiPort,
      addresses: advertisedAddresses(options.bind),
      log: root.child('apiserver/kubernetes-service'),
    });
    kubernetesSvc = keeper;
    apiRelay = await startApiRelay(mqtt, handler, credentials.ca, keeper.clusterIP, root.child('api-relay'));
    const apiUrl = `https://${urlHost(options.bind)}:${apiPort}`;
    issuerDiscovery.jwksUri = `${apiUrl}/openid/v1/jwks`;
    const kubeconfigPath = join(options.dataDir, 'admin.kubeconfig');
    writeAdminKubeconfig(kubeconfigPath, apiUrl, credentials.ca.certPem, credentials.adminToken);
    controllers = startControllerComponents(
      { registry, informers, clock: systemClock, log: root, heartbeats },
      { rootCaPem: credentials.ca.certPem, ...options.controllers },
    );
    // Gateways only now: everything the hub replays at its start is behind it (broker.ts, listen).
    await mqtt.listen();
    // In the same turn as listen's end, before any gateway's presence can arrive.
    if (options.sparkplug)
      sparkplug = startSparkplug(
        options.sparkplug,
        mqtt,
        informers,
        heartbeats,
        options.dataDir,
        root.child('sparkplug'),
      );
    ready = true;
    log.info(`API server on ${apiUrl} (kubeconfig: ${kubeconfigPath})`);
    log.info(
      dashboardFiles.has('index.html')
        ? `web dashboard on ${apiUrl}/ (log in with a token, e.g. ${join(options.dataDir, 'tokens', 'admin')})`
        : `no web dashboard: no index.html in ${defaultStaticDir}`,
    );

    const runningServer = server;
    const runningControllers = controllers;
    const runningMqtt = mqtt;
    const runningSync = sync;
    const sharedInformers = informers;
    const rbacCache = rbac;
    const relay = apiRelay;
    const svcKeeper = kubernetesSvc;
    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      apiPort,
      adminToken: credentials.adminToken,
      caPem: credentials.ca.certPem,
      kubeconfigPath,
      registry,
      mqtt: runningMqtt,
      edgeSync: runningSync,
      controllers: runningControllers,
      heartbeats,
      sparkplug,
      metrics,
      stop: () => {
        stopping ??= (async () => {
          ready = false;
          // NDEATHs while the broker still runs.
          await sparkplug?.stop();
          await runningControllers.stop();
          streamUpgrade.close();
          svcKeeper.stop();
          relay.stop();
          runningSync.stop();
          await runningSync.idle();
          await runningMqtt.stop();
          sharedInformers.stop();
          rbacCache.stop();
          await closeServer(runningServer);
          await store.close();
          releaseLock();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await sparkplug?.stop().catch(() => {});
    kubernetesSvc?.stop();
    apiRelay?.stop();
    await controllers?.stop().catch(() => {});
    edgeSync?.stop();
    await mqtt?.stop().catch(() => {});
    informers?.stop();
    rbac?.stop();
    if (server?.listening) await closeServer(server).catch(() => {});
    await store.close().catch(() => {});
    releaseLock();
    throw err;
  }
}

/**
 * kube-controller-manager's controllers, the scheduler and the cloud controller manager, in that
 * order, on one context (the hub's informers, registry and clock); each logs as itself
 * (`controller-manager/…`, `scheduler`, `cloud-controller-manager/…`).
 */
function startControllerComponents(
  context: ControllerContext,
  options: ControllerOptions,
): RunningControllers {
  const components: RunningComponent[] = [
    startControllerManager(context, options),
    runControllers([new Scheduler(context)], options.only),
    startCloudControllerManager(context, options.cloudProvider ?? 'none', options.only),
  ];
  return {
    context,
    stop: async () => {
      for (const component of components) component.stop();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Watches are long-lived: end them so close() can finish.
    server.closeAllConnections();
  });
}
