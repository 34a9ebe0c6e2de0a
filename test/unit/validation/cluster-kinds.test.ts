import assert from 'node:assert/strict';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import {
  aControllerRevision,
  aLease,
  aNamespace,
  aNode,
  anEndpointSlice,
  anEndpoints,
  anEvent,
  defaulted,
  summarize,
} from '../../helpers/builders.js';

describe('Namespace', () => {
  it('is valid and defaulted to Active with the kubernetes finalizer and name label', () => {
    const ns = defaulted('Namespace', aNamespace());
    assert.deepEqual(validateCreate(validationOf('Namespace'), ns), []);
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  });

  it('does not re-add the finalizer to a terminating namespace', () => {
    const ns = aNamespace();
    ns.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    ns.spec = { finalizers: [] };
    defaulted('Namespace', ns);
    assert.deepEqual(ns.spec.finalizers, []);
  });

  it('rejects unqualified custom finalizers and unknown phases', () => {
    const ns = aNamespace();
    ns.spec = { finalizers: ['cleanup'] };
    ns.status = { phase: 'Gone' };
    assert.deepEqual(summarize(validateCreate(validationOf('Namespace'), ns)), [
      'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
      'status.phase: Unsupported value: "Gone": supported values: "Active", "Terminating"',
    ]);
  });
});

describe('Node', () => {
  it('is valid and defaults allocatable to capacity', () => {
    const node = defaulted('Node', aNode());
    assert.deepEqual(validateCreate(validationOf('Node'), node), []);
    assert.deepEqual(node.status.allocatable, node.status.capacity);
  });

  it('gives every NodeSystemInfo field, as Go always sends them: "" for what the gateway did not report', () => {
    const node = aNode();
    node.status.nodeInfo = { architecture: 'arm64', operatingSystem: 'linux', kubeletVersion: 'flotilla/1' };
    defaulted('Node', node);
    assert.deepEqual(node.status.nodeInfo, {
      architecture: 'arm64',
      bootID: '',
      containerRuntimeVersion: '',
      kernelVersion: '',
      kubeProxyVersion: '',
      kubeletVersion: 'flotilla/1',
      machineID: '',
      operatingSystem: 'linux',
      osImage: '',
      systemUUID: '',
    });
    assert.deepEqual(validateCreate(validationOf('Node'), node), []);
  });

  it('checks taint effects and uniqueness', () => {
    const node = aNode();
    node.spec.taints = [
      { key: 'edge', effect: 'NoSchedule' },
      { key: 'edge', effect: 'NoSchedule' },
      { key: 'gpu', effect: 'Never' },
      { key: 'flaky' },
    ];
    assert.deepEqual(summarize(validateCreate(validationOf('Node'), node)), [
      'spec.taints[1]: Duplicate value: {"key":"edge","effect":"NoSchedule"}: taints must be unique by key and effect pair',
      'spec.taints[2].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'spec.taints[3].effect: Required value',
    ]);
  });

  it('keeps pod CIDRs once assigned', () => {
    const old = aNode();
    old.spec.podCIDRs = ['10.42.1.0/24'];
    const next = structuredClone(old);
    next.spec.podCIDRs = ['10.42.2.0/24'];
    assert.deepEqual(summarize(validateUpdate(validationOf('Node'), next, old)), [
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    ]);
  });

  it('checks reported quantities on status updates', () => {
    const old = aNode();
    const next = structuredClone(old);
    next.status.capacity.memory = 'two gigs';
    assert.equal(validateStatusUpdate(validationOf('Node'), next, old)[0]?.field, 'status.capacity[memory]');
  });
});

describe('Event', () => {
  it('is valid with an involved object in the same namespace', () => {
    assert.deepEqual(validateCreate(validationOf('Event'), anEvent()), []);
  });

  it('requires an involved object', () => {
    const event = anEvent();
    delete event.involvedObject;
    assert.deepEqual(summarize(validateCreate(validationOf('Event'), event)), [
      'involvedObject: Required value',
    ]);
  });

  it('requires the involved object’s namespace to match', () => {
    const event = anEvent();
    event.involvedObject.namespace = 'other';
    assert.deepEqual(summarize(validateCreate(validationOf('Event'), event)), [
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });

  it('accepts events about cluster-scoped objects in the default namespace', () => {
    const event = anEvent();
    event.involvedObject = { kind: 'Node', name: 'gateway-1' };
    assert.deepEqual(validateCreate(validationOf('Event'), event), []);
  });
});

describe('Lease', () => {
  it('is valid', () => {
    assert.deepEqual(validateCreate(validationOf('Lease'), aLease()), []);
  });

  it('requires a positive duration', () => {
    const lease = aLease();
    lease.spec.leaseDurationSeconds = 0;
    assert.deepEqual(summarize(validateCreate(validationOf('Lease'), lease)), [
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    ]);
  });
});

describe('Endpoints', () => {
  it('is valid and defaults port protocols', () => {
    const ep = defaulted('Endpoints', anEndpoints());
    assert.deepEqual(validateCreate(validationOf('Endpoints'), ep), []);
    assert.equal(ep.subsets[0].ports[0].protocol, 'TCP');
  });

  it('requires addresses and valid IPs', () => {
    const ep = anEndpoints();
    ep.subsets = [{ ports: [{ port: 80 }] }, { addresses: [{ ip: '10.0.0.300' }] }];
    assert.deepEqual(summarize(validateCreate(validationOf('Endpoints'), ep)), [
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
      'subsets[1].addresses[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });
});

describe('EndpointSlice', () => {
  it('is valid', () => {
    assert.deepEqual(validateCreate(validationOf('EndpointSlice'), anEndpointSlice()), []);
  });

  it('checks the address type and addresses', () => {
    const slice = anEndpointSlice();
    slice.addressType = 'IPv5';
    assert.deepEqual(summarize(validateCreate(validationOf('EndpointSlice'), slice)), [
      'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
    const v6 = anEndpointSlice();
    v6.addressType = 'IPv6';
    assert.deepEqual(summarize(validateCreate(validationOf('EndpointSlice'), v6)), [
      'endpoints[0].addresses[0]: Invalid value: "10.42.0.5": must be a valid IPv6 address',
    ]);
  });

  it('keeps the address type immutable', () => {
    const old = anEndpointSlice();
    const next = structuredClone(old);
    next.addressType = 'FQDN';
    next.endpoints = [{ addresses: ['web.example.com'] }];
    assert.deepEqual(summarize(validateUpdate(validationOf('EndpointSlice'), next, old)), [
      'addressType: Invalid value: "FQDN": field is immutable',
    ]);
  });
});

describe('ControllerRevision', () => {
  it('is valid', () => {
    assert.deepEqual(validateCreate(validationOf('ControllerRevision'), aControllerRevision()), []);
  });

  it('requires data and keeps it immutable', () => {
    const revision = aControllerRevision();
    delete revision.data;
    assert.deepEqual(summarize(validateCreate(validationOf('ControllerRevision'), revision)), [
      'data: Required value: data is mandatory',
    ]);
    const old = aControllerRevision();
    const next = structuredClone(old);
    next.data = { spec: { replicas: 2 } };
    assert.deepEqual(
      validateUpdate(validationOf('ControllerRevision'), next, old).map((e) => e.field),
      ['data'],
    );
  });
});

describe('status updates', () => {
  it('reject negative replica counts', () => {
    const old = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
    };
    const next = { ...old, status: { replicas: -1 } };
    assert.deepEqual(summarize(validateStatusUpdate(validationOf('Deployment'), next, old)), [
      'status.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
});
