// core/v1 Container and everything nested in it. Lists that strategic merge patch
// merges carry their patch merge key (ports by containerPort, env by name, volumeMounts
// by mountPath, volumeDevices by devicePath), as in k8s.io/api/core/v1 struct tags.
import { embedded, type ProtobufFields, pointer } from './protobuf-fields.js';
import {
  bool,
  coreName,
  int32,
  int64,
  intOrString,
  listOf,
  mapOf,
  mergeList,
  object,
  quantity,
  ref,
  type Schema,
  type SchemaTable,
  str,
} from './schema-builders.js';

const selector = (what: string, keyDescription: string): Schema =>
  object(
    {
      key: str(keyDescription),
      name: str(`Name of the referent ${what}.`),
      optional: bool(`Specify whether the ${what} or its key must be defined`),
    },
    {
      required: ['key'],
      protobuf: { localObjectReference: embedded(1, { name: 1 }), key: 2, optional: pointer(3) },
    },
  );

/** ConfigMapEnvSource and SecretEnvSource. */
const envSource = (): Schema =>
  object(
    { name: str(), optional: bool() },
    { protobuf: { localObjectReference: embedded(1, { name: 1 }), optional: pointer(2) } },
  );

/** An optional type and the profile file of a seccomp or AppArmor profile. */
const profile = (): Schema =>
  object(
    { localhostProfile: str(), type: str() },
    { required: ['type'], protobuf: { type: 1, localhostProfile: pointer(2) } },
  );

const probeHandlers: Record<string, Schema> = {
  exec: ref(coreName('ExecAction'), 'Exec specifies a command to execute in the container.'),
  httpGet: ref(coreName('HTTPGetAction'), 'HTTPGet specifies an HTTP GET request to perform.'),
  tcpSocket: ref(coreName('TCPSocketAction'), 'TCPSocket specifies a connection to a TCP port.'),
};

const securityContext = object(
  {
    allowPrivilegeEscalation: bool(),
    appArmorProfile: profile(),
    capabilities: object(
      {
        add: listOf(str(), 'Added capabilities'),
        drop: listOf(str(), 'Removed capabilities'),
      },
      { protobuf: { add: 1, drop: 2 } },
    ),
    privileged: bool(),
    procMount: str(),
    readOnlyRootFilesystem: bool(),
    runAsGroup: int64(),
    runAsNonRoot: bool(),
    runAsUser: int64(),
    seLinuxOptions: ref(coreName('SELinuxOptions')),
    seccompProfile: profile(),
    windowsOptions: ref(coreName('WindowsSecurityContextOptions')),
  },
  {
    protobuf: {
      capabilities: pointer(1),
      privileged: pointer(2),
      seLinuxOptions: pointer(3),
      runAsUser: pointer(4),
      runAsNonRoot: pointer(5),
      readOnlyRootFilesystem: pointer(6),
      allowPrivilegeEscalation: pointer(7),
      runAsGroup: pointer(8),
      procMount: pointer(9),
      windowsOptions: pointer(10),
      seccompProfile: pointer(11),
      appArmorProfile: pointer(12),
    },
  },
);

const containerFields: Record<string, Schema> = {
  args: listOf(str(), 'Arguments to the entrypoint.'),
  command: listOf(str(), 'Entrypoint array. Not executed within a shell.'),
  env: mergeList(ref(coreName('EnvVar')), 'name', {
    description: 'List of environment variables to set in the container.',
  }),
  envFrom: listOf(
    ref(coreName('EnvFromSource')),
    'List of sources to populate environment variables in the container.',
  ),
  image: str('Container image name.'),
  imagePullPolicy: str('Always, Never or IfNotPresent.'),
  lifecycle: ref(
    coreName('Lifecycle'),
    'Commands or requests run right after the container starts and before it stops.',
  ),
  livenessProbe: ref(coreName('Probe'), 'Periodic probe of container liveness.'),
  name: str('Name of the container specified as a DNS_LABEL.'),
  ports: mergeList(ref(coreName('ContainerPort')), 'containerPort', {
    description: 'List of ports to expose from the container.',
  }),
  readinessProbe: ref(coreName('Probe'), 'Periodic probe of container service readiness.'),
  resizePolicy: listOf(
    object(
      { resourceName: str(), restartPolicy: str() },
      { required: ['resourceName', 'restartPolicy'], protobuf: { resourceName: 1, restartPolicy: 2 } },
    ),
  ),
  resources: ref(coreName('ResourceRequirements'), 'Compute Resources required by this container.'),
  restartPolicy: str('Only "Always" is allowed, for sidecar init containers.'),
  securityContext: ref(
    coreName('SecurityContext'),
    'User, capabilities, privileges and file system access of the container.',
  ),
  startupProbe: ref(coreName('Probe'), 'StartupProbe indicates that the Pod has successfully initialized.'),
  stdin: bool('Keep a stdin open for the container (kubectl attach and exec -i).'),
  stdinOnce: bool('Close stdin after the first client that attached detaches.'),
  terminationMessagePath: str(
    'File the container may write its termination message to (default /dev/termination-log).',
  ),
  terminationMessagePolicy: str(
    'File, or FallbackToLogsOnError to use the end of the log when the file is empty.',
  ),
  tty: bool('Give the container a terminal (with stdin: kubectl exec -it).'),
  volumeDevices: mergeList(
    object(
      { devicePath: str(), name: str() },
      { required: ['name', 'devicePath'], protobuf: { name: 1, devicePath: 2 } },
    ),
    'devicePath',
  ),
  volumeMounts: mergeList(ref(coreName('VolumeMount')), 'mountPath', {
    description: "Pod volumes to mount into the container's filesystem.",
  }),
  workingDir: str("Container's working directory."),
};

const containerNumbers: ProtobufFields = {
  name: 1,
  image: 2,
  command: 3,
  args: 4,
  workingDir: 5,
  ports: 6,
  env: 7,
  resources: 8,
  volumeMounts: 9,
  livenessProbe: pointer(10),
  readinessProbe: pointer(11),
  lifecycle: pointer(12),
  terminationMessagePath: 13,
  imagePullPolicy: 14,
  securityContext: pointer(15),
  stdin: 16,
  stdinOnce: 17,
  tty: 18,
  envFrom: 19,
  terminationMessagePolicy: 20,
  volumeDevices: 21,
  startupProbe: pointer(22),
  resizePolicy: 23,
  restartPolicy: pointer(24),
};

const handlerNumbers = { exec: pointer(1), httpGet: pointer(2), tcpSocket: pointer(3) };

const lifecycleHandler = object(
  {
    ...probeHandlers,
    sleep: object({ seconds: int64() }, { required: ['seconds'], protobuf: { seconds: 1 } }),
  },
  { protobuf: { ...handlerNumbers, sleep: pointer(4) } },
);

export const containerSchemas: SchemaTable = {
  [coreName('Container')]: object(containerFields, {
    required: ['name'],
    description: 'A single application container that you want to run within a pod.',
    protobuf: containerNumbers,
  }),
  [coreName('EphemeralContainer')]: object(
    { ...containerFields, targetContainerName: str('The name of a container in PodSpec to target.') },
    {
      required: ['name'],
      // EphemeralContainerCommon repeats Container's fields under the same numbers.
      protobuf: { ephemeralContainerCommon: embedded(1, containerNumbers), targetContainerName: 2 },
    },
  ),
  [coreName('ContainerPort')]: object(
    {
      containerPort: int32("Number of port to expose on the pod's IP address."),
      hostIP: str('Gateway address the host port is bound to.'),
      hostPort: int32('Port on the gateway forwarded to the container port.'),
      name: str(),
      protocol: str('UDP, TCP, or SCTP. Defaults to "TCP".'),
    },
    {
      required: ['containerPort'],
      protobuf: { name: 1, hostPort: 2, containerPort: 3, protocol: 4, hostIP: 5 },
    },
  ),
  [coreName('EnvVar')]: object(
    {
      name: str('Name of the environment variable.'),
      value: str('The value; $(VAR) expands an earlier variable of the container.'),
      valueFrom: object(
        {
          configMapKeyRef: selector('ConfigMap', 'The key to select.'),
          fieldRef: object(
            { apiVersion: str(), fieldPath: str() },
            { required: ['fieldPath'], protobuf: { apiVersion: 1, fieldPath: 2 } },
          ),
          resourceFieldRef: object(
            { containerName: str(), divisor: quantity(), resource: str() },
            { required: ['resource'], protobuf: { containerName: 1, resource: 2, divisor: 3 } },
          ),
          secretKeyRef: selector('Secret', 'The key of the secret to select from.'),
        },
        {
          protobuf: {
            fieldRef: pointer(1),
            resourceFieldRef: pointer(2),
            configMapKeyRef: pointer(3),
            secretKeyRef: pointer(4),
          },
        },
      ),
    },
    { required: ['name'], protobuf: { name: 1, value: 2, valueFrom: pointer(3) } },
  ),
  [coreName('EnvFromSource')]: object(
    { configMapRef: envSource(), prefix: str(), secretRef: envSource() },
    { protobuf: { prefix: 1, configMapRef: pointer(2), secretRef: pointer(3) } },
  ),
  [coreName('VolumeMount')]: object(
    {
      mountPath: str('Path within the container at which the volume should be mounted.'),
      mountPropagation: str('None, HostToContainer or Bidirectional.'),
      name: str('This must match the Name of a Volume.'),
      readOnly: bool('Mount read-only.'),
      recursiveReadOnly: str(),
      subPath: str('Mount this path inside the volume instead of its root.'),
      subPathExpr: str("Like subPath, with $(VAR) references to the container's environment."),
    },
    {
      required: ['name', 'mountPath'],
      protobuf: {
        name: 1,
        readOnly: 2,
        mountPath: 3,
        subPath: 4,
        mountPropagation: pointer(5),
        subPathExpr: 6,
        recursiveReadOnly: pointer(7),
      },
    },
  ),
  [coreName('ResourceRequirements')]: object(
    {
      claims: listOf(
        object({ name: str(), request: str() }, { required: ['name'], protobuf: { name: 1, request: 2 } }),
      ),
      limits: mapOf(quantity(), 'Limits describes the maximum amount of compute resources allowed.'),
      requests: mapOf(quantity(), 'Requests describes the minimum amount of compute resources required.'),
    },
    { protobuf: { limits: 1, requests: 2, claims: 3 } },
  ),
  [coreName('Probe')]: object(
    {
      ...probeHandlers,
      failureThreshold: int32('Failures in a row after which the probe counts as failed (default 3).'),
      grpc: object(
        { port: int32(), service: str() },
        {
          required: ['port'],
          description: 'A gRPC health check on this port of the pod.',
          protobuf: { port: 1, service: pointer(2) },
        },
      ),
      initialDelaySeconds: int32('Seconds after the container started before the first probe.'),
      periodSeconds: int32('Seconds between probes (default 10).'),
      successThreshold: int32(
        'Successes in a row after a failure for the probe to count as passing again (default 1).',
      ),
      terminationGracePeriodSeconds: int64(),
      timeoutSeconds: int32('Seconds a probe may take (default 1).'),
    },
    {
      protobuf: {
        handler: embedded(1, { ...handlerNumbers, grpc: pointer(4) }),
        initialDelaySeconds: 2,
        timeoutSeconds: 3,
        periodSeconds: 4,
        successThreshold: 5,
        failureThreshold: 6,
        terminationGracePeriodSeconds: pointer(7),
      },
    },
  ),
  [coreName('ExecAction')]: object({ command: listOf(str()) }, { protobuf: { command: 1 } }),
  [coreName('HTTPGetAction')]: object(
    {
      host: str(),
      httpHeaders: listOf(
        object(
          { name: str(), value: str() },
          { required: ['name', 'value'], protobuf: { name: 1, value: 2 } },
        ),
      ),
      path: str(),
      port: intOrString('Name or number of the port to access on the container.'),
      scheme: str(),
    },
    { required: ['port'], protobuf: { path: 1, port: 2, host: 3, scheme: 4, httpHeaders: 5 } },
  ),
  [coreName('TCPSocketAction')]: object(
    { host: str(), port: intOrString() },
    { required: ['port'], protobuf: { port: 1, host: 2 } },
  ),
  [coreName('Lifecycle')]: object(
    {
      postStart: lifecycleHandler,
      preStop: lifecycleHandler,
      stopSignal: str(),
    },
    { protobuf: { postStart: pointer(1), preStop: pointer(2), stopSignal: pointer(3) } },
  ),
  [coreName('SecurityContext')]: securityContext,
  [coreName('SELinuxOptions')]: object(
    { level: str(), role: str(), type: str(), user: str() },
    { protobuf: { user: 1, role: 2, type: 3, level: 4 } },
  ),
  [coreName('WindowsSecurityContextOptions')]: object(
    {
      gmsaCredentialSpec: str(),
      gmsaCredentialSpecName: str(),
      hostProcess: bool(),
      runAsUserName: str(),
    },
    {
      protobuf: {
        gmsaCredentialSpecName: pointer(1),
        gmsaCredentialSpec: pointer(2),
        runAsUserName: pointer(3),
        hostProcess: pointer(4),
      },
    },
  ),
};
