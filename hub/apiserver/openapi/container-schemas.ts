// core/v1 Container and everything nested in it. Lists that strategic merge patch
// merges carry their patch merge key (ports by containerPort, env by name, volumeMounts
// by mountPath, volumeDevices by devicePath), as in k8s.io/api/core/v1 struct tags.
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
    { required: ['key'] },
  );

const probeHandlers: Record<string, Schema> = {
  exec: ref(coreName('ExecAction'), 'Exec specifies a command to execute in the container.'),
  httpGet: ref(coreName('HTTPGetAction'), 'HTTPGet specifies an HTTP GET request to perform.'),
  tcpSocket: ref(coreName('TCPSocketAction'), 'TCPSocket specifies a connection to a TCP port.'),
};

const securityContext = object({
  allowPrivilegeEscalation: bool(),
  appArmorProfile: object({ localhostProfile: str(), type: str() }, { required: ['type'] }),
  capabilities: object({
    add: listOf(str(), 'Added capabilities'),
    drop: listOf(str(), 'Removed capabilities'),
  }),
  privileged: bool(),
  procMount: str(),
  readOnlyRootFilesystem: bool(),
  runAsGroup: int64(),
  runAsNonRoot: bool(),
  runAsUser: int64(),
  seLinuxOptions: ref(coreName('SELinuxOptions')),
  seccompProfile: object({ localhostProfile: str(), type: str() }, { required: ['type'] }),
  windowsOptions: ref(coreName('WindowsSecurityContextOptions')),
});

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
    object({ resourceName: str(), restartPolicy: str() }, { required: ['resourceName', 'restartPolicy'] }),
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
    object({ devicePath: str(), name: str() }, { required: ['name', 'devicePath'] }),
    'devicePath',
  ),
  volumeMounts: mergeList(ref(coreName('VolumeMount')), 'mountPath', {
    description: "Pod volumes to mount into the container's filesystem.",
  }),
  workingDir: str("Container's working directory."),
};

const lifecycleHandler = object({
  ...probeHandlers,
  sleep: object({ seconds: int64() }, { required: ['seconds'] }),
});

export const containerSchemas: SchemaTable = {
  [coreName('Container')]: object(containerFields, {
    required: ['name'],
    description: 'A single application container that you want to run within a pod.',
  }),
  [coreName('EphemeralContainer')]: object(
    { ...containerFields, targetContainerName: str('The name of a container in PodSpec to target.') },
    { required: ['name'] },
  ),
  [coreName('ContainerPort')]: object(
    {
      containerPort: int32("Number of port to expose on the pod's IP address."),
      hostIP: str('Gateway address the host port is bound to.'),
      hostPort: int32('Port on the gateway forwarded to the container port.'),
      name: str(),
      protocol: str('UDP, TCP, or SCTP. Defaults to "TCP".'),
    },
    { required: ['containerPort'] },
  ),
  [coreName('EnvVar')]: object(
    {
      name: str('Name of the environment variable.'),
      value: str('The value; $(VAR) expands an earlier variable of the container.'),
      valueFrom: object({
        configMapKeyRef: selector('ConfigMap', 'The key to select.'),
        fieldRef: object({ apiVersion: str(), fieldPath: str() }, { required: ['fieldPath'] }),
        resourceFieldRef: object(
          { containerName: str(), divisor: quantity(), resource: str() },
          { required: ['resource'] },
        ),
        secretKeyRef: selector('Secret', 'The key of the secret to select from.'),
      }),
    },
    { required: ['name'] },
  ),
  [coreName('EnvFromSource')]: object({
    configMapRef: object({ name: str(), optional: bool() }),
    prefix: str(),
    secretRef: object({ name: str(), optional: bool() }),
  }),
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
    { required: ['name', 'mountPath'] },
  ),
  [coreName('ResourceRequirements')]: object({
    claims: listOf(object({ name: str(), request: str() }, { required: ['name'] })),
    limits: mapOf(quantity(), 'Limits describes the maximum amount of compute resources allowed.'),
    requests: mapOf(quantity(), 'Requests describes the minimum amount of compute resources required.'),
  }),
  [coreName('Probe')]: object({
    ...probeHandlers,
    failureThreshold: int32('Failures in a row after which the probe counts as failed (default 3).'),
    grpc: object(
      { port: int32(), service: str() },
      { required: ['port'], description: 'A gRPC health check on this port of the pod.' },
    ),
    initialDelaySeconds: int32('Seconds after the container started before the first probe.'),
    periodSeconds: int32('Seconds between probes (default 10).'),
    successThreshold: int32(
      'Successes in a row after a failure for the probe to count as passing again (default 1).',
    ),
    terminationGracePeriodSeconds: int64(),
    timeoutSeconds: int32('Seconds a probe may take (default 1).'),
  }),
  [coreName('ExecAction')]: object({ command: listOf(str()) }),
  [coreName('HTTPGetAction')]: object(
    {
      host: str(),
      httpHeaders: listOf(object({ name: str(), value: str() }, { required: ['name', 'value'] })),
      path: str(),
      port: intOrString('Name or number of the port to access on the container.'),
      scheme: str(),
    },
    { required: ['port'] },
  ),
  [coreName('TCPSocketAction')]: object({ host: str(), port: intOrString() }, { required: ['port'] }),
  [coreName('Lifecycle')]: object({
    postStart: lifecycleHandler,
    preStop: lifecycleHandler,
    stopSignal: str(),
  }),
  [coreName('SecurityContext')]: securityContext,
  [coreName('SELinuxOptions')]: object({ level: str(), role: str(), type: str(), user: str() }),
  [coreName('WindowsSecurityContextOptions')]: object({
    gmsaCredentialSpec: str(),
    gmsaCredentialSpecName: str(),
    hostProcess: bool(),
    runAsUserName: str(),
  }),
};
