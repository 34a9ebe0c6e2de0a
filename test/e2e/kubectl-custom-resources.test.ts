// CustomResourceDefinitions as kubectl users meet them, with the real kubectl 1.27 and 1.32
// against the real `flotilla hub` process: apply a CRD, wait for it to be established, apply a
// custom resource, read it with its printer columns and short name, patch it, scale it, explain
// it, have a bad one refused with the field named, and delete the CRD with its objects.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { skipSuiteUnless } from '../helpers/environment.js';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../helpers/kubectl.js';

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: sensors.plant.example.com
spec:
  group: plant.example.com
  scope: Namespaced
  names:
    plural: sensors
    singular: sensor
    kind: Sensor
    shortNames: [sn]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [topic]
            properties:
              topic:
                type: string
                description: MQTT topic the sensor publishes on.
              intervalSeconds:
                type: integer
                minimum: 1
                default: 10
              replicas:
                type: integer
          status:
            type: object
            properties:
              replicas:
                type: integer
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - name: Topic
      type: string
      jsonPath: .spec.topic
    - name: Interval
      type: integer
      jsonPath: .spec.intervalSeconds
`;

const sensor = (name: string, interval = '') => `apiVersion: plant.example.com/v1
kind: Sensor
metadata:
  name: ${name}
spec:
  topic: hall-3/line-2/${name}
${interval ? `  intervalSeconds: ${interval}\n` : ''}`;

for (const minor of [27, 32]) {
  describe(`kubectl 1.${minor}: custom resources`, function () {
    this.timeout(90_000);
    let hub: HubProcess;
    let kubectl: Kubectl;

    before(async function () {
      const bin = kubectlOf(minor);
      skipSuiteUnless(this, bin ? [] : [`kubectl 1.${minor} is not installed`]);
      hub = await startHubProcess();
      kubectl = new Kubectl(hub.kubeconfig, bin);
    });
    after(async () => {
      await hub?.stop();
      if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
    });

    it('applies a CRD and waits for it to be established', async () => {
      await kubectl.ok(['apply', '-f', '-'], crd);
      await kubectl.ok([
        'wait',
        '--for=condition=established',
        '--timeout=30s',
        'crd/sensors.plant.example.com',
      ]);
      const listed = await kubectl.ok(['get', 'crds']);
      assert.match(listed, /^NAME\s+CREATED AT\n/);
      assert.match(listed, /sensors\.plant\.example\.com\s+\d{4}-\d\d-\d\dT/);
    });

    it('applies a custom resource and prints it with the CRD columns, by short name too', async () => {
      // kubectl refreshes its discovery cache when it meets a kind it does not know yet.
      await eventually(() => kubectl.ok(['apply', '-f', '-'], sensor('temp-1')), {
        timeoutMs: 30_000,
        intervalMs: 500,
      });
      const table = await kubectl.ok(['get', 'sn']);
      assert.match(table, /^NAME\s+TOPIC\s+INTERVAL\n/);
      assert.match(table, /temp-1\s+hall-3\/line-2\/temp-1\s+10\n/);
      assert.match(await kubectl.ok(['get', 'all']), /sensor\.plant\.example\.com\/temp-1/);
    });

    it('refuses a bad custom resource with the field named', async () => {
      const result = await kubectl.run(['apply', '-f', '-'], sensor('bad', '0'));
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /spec\.intervalSeconds/);
      assert.match(result.stderr, /greater than or equal to 1/);
    });

    it('patches, applies again and scales it', async () => {
      await kubectl.ok([
        'patch',
        'sensor',
        'temp-1',
        '--type=merge',
        '-p',
        '{"spec":{"intervalSeconds":30}}',
      ]);
      await kubectl.ok(['apply', '-f', '-'], sensor('temp-1', '5'));
      await kubectl.ok(['scale', 'sensor', 'temp-1', '--replicas=3']);
      const got = JSON.parse(await kubectl.ok(['get', 'sensor', 'temp-1', '-o', 'json']));
      assert.equal(got.spec.intervalSeconds, 5);
      assert.equal(got.spec.replicas, 3);
    });

    it('explains its fields from the CRD schema', async () => {
      const explained = await kubectl.ok(['explain', 'sensors.spec.topic']);
      assert.match(explained, /MQTT topic the sensor publishes on/);
    });

    it('deletes the CRD with its objects', async () => {
      await kubectl.ok(['delete', 'crd', 'sensors.plant.example.com', '--timeout=60s']);
      const gone = await kubectl.run(['get', 'crd', 'sensors.plant.example.com']);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /NotFound|not found/);
    });
  });
}
