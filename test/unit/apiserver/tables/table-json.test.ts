import assert from 'node:assert/strict';
import { tableJson } from '../../../../hub/apiserver/tables/table-json.js';
import type { Table } from '../../../../hub/apiserver/tables/table-types.js';
import { toTable } from '../../../../hub/apiserver/tables/to-table.js';
import { kindNamed } from '../../../../hub/kinds/builtin-kinds.js';
import { deepFreeze } from '../../../../hub/store/deep-freeze.js';
import { aRunningPod, aWorkload, now } from './table-builders.js';

describe('tableJson', () => {
  const pods = [aRunningPod('a'), deepFreeze(aRunningPod('b'))];

  for (const includeObject of ['Metadata', 'Object', 'None'] as const) {
    it(`writes the same text as JSON.stringify, includeObject=${includeObject}`, () => {
      const table = toTable(kindNamed('Pod')!, pods, {
        now,
        includeObject,
        listMeta: { resourceVersion: '7' },
      });
      const text = tableJson(table);
      assert.equal(text, JSON.stringify(table));
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(table)));
    });
  }

  it('keeps row conditions and an empty list metadata', () => {
    const table = toTable(
      kindNamed('Job')!,
      [aWorkload('Job', 'batch/v1', 'j', { spec: { completions: 1 }, status: { succeeded: 1 } })],
      { now, includeObject: 'Metadata' },
    );
    table.rows[0]!.conditions = [{ type: 'Completed', status: 'True' }];
    assert.deepEqual(JSON.parse(tableJson(table)), JSON.parse(JSON.stringify(table)));
    const empty: Table = { ...table, metadata: {}, rows: [] };
    assert.equal(tableJson(empty), JSON.stringify(empty));
  });

  it('writes a changed object anew, never text cached for an older version', () => {
    const first = deepFreeze(aRunningPod('c'));
    tableJson(toTable(kindNamed('Pod')!, [first], { now, includeObject: 'Metadata' }));
    const second = deepFreeze({ ...aRunningPod('c'), metadata: { ...first.metadata, labels: { v: '2' } } });
    const text = tableJson(toTable(kindNamed('Pod')!, [second], { now, includeObject: 'Metadata' }));
    assert.deepEqual(JSON.parse(text).rows[0].object.metadata.labels, { v: '2' });
  });
});
