import assert from 'node:assert/strict';
import { tableColumns, toTable } from '../../../../hub/apiserver/tables/to-table.js';
import { builtinKinds, kindNamed } from '../../../../hub/kinds/builtin-kinds.js';
import { aNode, aRunningPod, aWorkload, now } from './table-builders.js';

describe('toTable', () => {
  it('builds a meta.k8s.io/v1 Table with list metadata, columns and rows', () => {
    const table = toTable(kindNamed('Pod')!, [aRunningPod('a'), aRunningPod('b')], {
      now,
      includeObject: 'Metadata',
      listMeta: { resourceVersion: '42', continue: 'next' },
    });
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(table.metadata, { resourceVersion: '42', continue: 'next' });
    assert.deepEqual(table.columnDefinitions[0], {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: table.columnDefinitions[0]?.description,
      priority: 0,
    });
    assert.deepEqual(
      table.rows.map((r) => r.cells[0]),
      ['a', 'b'],
    );
    for (const row of table.rows) assert.equal(row.cells.length, table.columnDefinitions.length);
  });

  it('attaches PartialObjectMetadata for includeObject=Metadata', () => {
    const pod = aRunningPod('a');
    const [row] = toTable(kindNamed('Pod')!, [pod], { now, includeObject: 'Metadata' }).rows;
    assert.deepEqual(row?.object, {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: pod.metadata,
    });
  });

  it('attaches the whole object, with its type, for includeObject=Object', () => {
    const stored = aNode('gw-1', { ready: 'True' });
    delete stored.apiVersion;
    delete stored.kind;
    const [row] = toTable(kindNamed('Node')!, [stored], { now, includeObject: 'Object' }).rows;
    assert.equal(row?.object?.kind, 'Node');
    assert.equal(row?.object?.apiVersion, 'v1');
    assert.deepEqual(row?.object?.metadata, stored.metadata);
  });

  it('attaches nothing for includeObject=None', () => {
    const [row] = toTable(kindNamed('Pod')!, [aRunningPod('a')], { now, includeObject: 'None' }).rows;
    assert.equal(row !== undefined && 'object' in row, false);
  });

  it('prints NAME and AGE for kinds without a printer', () => {
    const table = toTable(
      { info: { group: 'example.com', version: 'v1', kind: 'Widget' } },
      [aWorkload('Widget', 'example.com/v1', 'w', {})],
      {
        now,
        includeObject: 'None',
      },
    );
    assert.deepEqual(
      table.columnDefinitions.map((c) => c.name),
      ['Name', 'Age'],
    );
    assert.deepEqual(table.rows[0]?.cells, ['w', '3h25m']);
  });

  it('has a printer with a name column for every served kind that can be read', () => {
    for (const kind of builtinKinds.filter((k) => !k.review)) {
      const info = kind.info;
      const columns = tableColumns(kind);
      assert.ok(kind.printer, `${info.kind} has its own printer`);
      assert.ok(columns.length >= 2, `${info.kind} prints more than its name`);
      assert.equal(columns.filter((c) => c.format === 'name').length, 1, `${info.kind} has one name column`);
    }
  });

  it('returns fresh column definitions that callers may modify', () => {
    const first = tableColumns(kindNamed('Pod')!);
    if (first[0]) first[0].name = 'changed';
    assert.equal(tableColumns(kindNamed('Pod')!)[0]?.name, 'Name');
  });
});
