import * as assert from 'node:assert/strict';
import { activityColumns, activityCsv, activityExportFormat, activityJson, csvCell } from '../../../src/core/activity/activityExport';
import type { ActivityRecord } from '../../../src/core/activity/activityRecord';

const hostile: ActivityRecord = {
  id: '1',
  time: '2025-03-01T10:00:00.000Z',
  service: 'Azure',
  account: 'admin@contoso.com',
  action: '=HYPERLINK("http://evil","click")',
  target: 'https://h/keys/a,b "quoted"',
  result: 'failed',
  message: 'line one\nline two\r\n— ünïcødé ✓ 鍵',
  correlationId: '+1-2',
  clientRequestId: '@c',
};

/** A small RFC 4180 reader, to check the CSV round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('activity export', () => {
  it('writes CSV that round-trips commas, quotes, newlines and unicode, and defuses formulas', () => {
    const csv = activityCsv([hostile]);
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], [...activityColumns]);
    const cells = Object.fromEntries(activityColumns.map((c, i) => [c, rows[1][i]]));
    assert.equal(rows.length, 2);
    assert.equal(cells.action, `'${hostile.action}`);
    assert.equal(cells.target, hostile.target);
    assert.equal(cells.message, hostile.message);
    assert.equal(cells.correlationId, "'+1-2");
    assert.equal(cells.clientRequestId, "'@c");
    assert.equal(cells.result, 'failed');
  });

  it('quotes only where needed', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('-5'), "'-5");
    assert.equal(csvCell(' padded'), '" padded"');
  });

  it('writes JSON with the same fields, hostile text intact', () => {
    const parsed = JSON.parse(activityJson([hostile])) as Record<string, string>[];
    assert.equal(parsed.length, 1);
    assert.equal(parsed[0].message, hostile.message);
    assert.equal(parsed[0].action, hostile.action);
    assert.equal('id' in parsed[0], false);
  });

  it('chooses the format by file name', () => {
    assert.equal(activityExportFormat('/tmp/log.CSV'), 'csv');
    assert.equal(activityExportFormat('/tmp/log.json'), 'json');
  });
});
