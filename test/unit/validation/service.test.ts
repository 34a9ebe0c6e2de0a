import assert from 'node:assert/strict';
import { validateCreate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import { aService, defaulted, summarize, type TestObject } from '../../helpers/builders.js';

function serviceErrors(change: (svc: TestObject) => void): string[] {
  const svc = aService();
  change(svc);
  return summarize(validateCreate(validationOf('Service'), defaulted('Service', svc)));
}

describe('Service validation', () => {
  it('accepts a ClusterIP service', () => {
    assert.deepEqual(
      serviceErrors(() => {}),
      [],
    );
  });

  it('requires ports unless the service is headless', () => {
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.ports = [];
      }),
      ['spec.ports: Required value'],
    );
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.ports = [];
        s.spec.clusterIP = 'None';
      }),
      [],
    );
  });

  it('checks port numbers and protocols', () => {
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.ports = [{ port: 0, protocol: 'ICMP' }];
      }),
      [
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        // targetPort defaults to the (invalid) port, as in kube.
        'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      ],
    );
  });

  it('requires unique names when there is more than one port', () => {
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.ports = [{ name: 'http', port: 80 }, { name: 'http', port: 81 }, { port: 82 }];
      }),
      ['spec.ports[1].name: Duplicate value: "http"', 'spec.ports[2].name: Required value'],
    );
  });

  it('accepts a numeric or named targetPort and rejects a numeric string', () => {
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.ports[0].targetPort = 'http';
      }),
      [],
    );
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.ports[0].targetPort = '8080';
      }),
      ['spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)'],
    );
  });

  it('checks the type and sessionAffinity enums', () => {
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.type = 'Internal';
        s.spec.sessionAffinity = 'Cookie';
      }),
      [
        'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
        'spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"',
      ],
    );
  });

  it('requires externalName for ExternalName services', () => {
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.type = 'ExternalName';
        s.spec.ports = [];
      }),
      ['spec.externalName: Required value'],
    );
  });

  it('forbids nodePort on ClusterIP services and checks its range otherwise', () => {
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.ports[0].nodePort = 30080;
      }),
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    );
    assert.deepEqual(
      serviceErrors((s) => {
        s.spec.type = 'NodePort';
        s.spec.ports[0].nodePort = 70000;
      }),
      ['spec.ports[0].nodePort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    );
  });

  it('checks selector labels', () => {
    const [error] = serviceErrors((s) => {
      s.spec.selector = { app: 'web server' };
    });
    assert.match(error ?? '', /^spec\.selector: Invalid value: "web server": a valid label/);
  });

  describe('on update', () => {
    function stored(): TestObject {
      const svc = defaulted('Service', aService());
      svc.spec.clusterIP = '10.96.0.10';
      svc.spec.clusterIPs = ['10.96.0.10'];
      return svc;
    }

    it('keeps the cluster IP once allocated', () => {
      const old = stored();
      const next = structuredClone(old);
      next.spec.clusterIP = '10.96.0.11';
      next.spec.clusterIPs = ['10.96.0.11'];
      assert.deepEqual(summarize(validateUpdate(validationOf('Service'), next, old)), [
        'spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set',
      ]);
    });

    it('allows filling an empty cluster IP and changing to ExternalName', () => {
      const old = defaulted('Service', aService());
      const filled = structuredClone(old);
      filled.spec.clusterIP = '10.96.0.12';
      assert.deepEqual(validateUpdate(validationOf('Service'), filled, old), []);
      const renamed = structuredClone(stored());
      renamed.spec = { type: 'ExternalName', externalName: 'db.example.com' };
      assert.deepEqual(validateUpdate(validationOf('Service'), renamed, stored()), []);
    });
  });
});

describe('Service defaulting', () => {
  it('fills type, affinity, protocols, target ports and traffic policies', () => {
    const svc = aService();
    delete svc.spec.ports[0].targetPort;
    defaulted('Service', svc);
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.equal(svc.spec.sessionAffinity, 'None');
    assert.deepEqual(svc.spec.ports, [{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    assert.equal(svc.spec.internalTrafficPolicy, 'Cluster');
    assert.equal(svc.spec.externalTrafficPolicy, undefined);
    assert.equal(svc.spec.ipFamilyPolicy, 'SingleStack');
    assert.deepEqual(svc.spec.ipFamilies, ['IPv4']);
  });

  it('sets externalTrafficPolicy for externally reachable services', () => {
    const svc = aService();
    svc.spec.type = 'NodePort';
    defaulted('Service', svc);
    assert.equal(svc.spec.externalTrafficPolicy, 'Cluster');
  });

  it('gives ExternalName services no IP families', () => {
    const svc = aService();
    svc.spec = { type: 'ExternalName', externalName: 'db.example.com' };
    defaulted('Service', svc);
    assert.equal(svc.spec.ipFamilies, undefined);
    assert.equal(svc.spec.internalTrafficPolicy, undefined);
  });
});
