import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, loadConfigFile, parseConfig } from '../../lib/config.ts';
import { splitCsvLine } from '../../lib/directory-file.ts';

function base(directory: Record<string, unknown>): Record<string, unknown> {
  return {
    asterisk: { ari: { url: 'http://127.0.0.1:8088', user: 'attendant', password: 'pw' } },
    attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1'] }],
    directory,
  };
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'attendant-dir-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function problems(raw: unknown, baseDir: string): string[] {
  try {
    parseConfig(raw, { baseDir });
  } catch (err) {
    assert.ok(err instanceof ConfigError, 'err instanceof ConfigError');
    return err.problems;
  }
  assert.fail('the configuration was accepted');
}

const CSV = [
  'name,number,shortCode,department,location',
  'Reception,200,9,Front desk,Lobby',
  '"Durand, Paul",202,12,Sales,',
  '',
  'Night porter,2000,,,"Gate ""B"""',
].join('\r\n');

describe('directory from a file', () => {
  it('given a CSV line with quotes, commas and doubled quotes inside, then the cells come out as written', () => {
    assert.deepEqual(splitCsvLine('"Durand, Paul",202,"say ""hi""", x '), ['Durand, Paul', '202', 'say "hi"', 'x']);
  });

  it('given a CSV file next to the configuration, when loaded, then its rows join the inline entries (empty cells left out)', () => {
    const dir = folder({ 'rooms.csv': CSV, 'attendant.yaml': stringify(base({ file: 'rooms.csv', entries: [{ name: 'Accounts', number: '201', shortCode: '11' }] })) });
    const cfg = loadConfigFile(join(dir, 'attendant.yaml'), {});
    assert.deepEqual(cfg.directory.entries, [
      { name: 'Accounts', number: '201', shortCode: '11' },
      { name: 'Reception', number: '200', shortCode: '9', department: 'Front desk', location: 'Lobby' },
      { name: 'Durand, Paul', number: '202', shortCode: '12', department: 'Sales' },
      { name: 'Night porter', number: '2000', location: 'Gate "B"' },
    ]);
  });

  it('given a YAML list, when loaded, then its entries join the inline ones', () => {
    const dir = folder({ 'rooms.yaml': stringify([{ name: 'Room 101', number: '101', location: 'Floor 1' }, { name: 'Spa', number: '300', shortCode: '30' }]) });
    const cfg = parseConfig(base({ file: 'rooms.yaml' }), { baseDir: dir });
    assert.deepEqual(cfg.directory.entries.map((e) => [e.name, e.number, e.shortCode]), [['Room 101', '101', undefined], ['Spa', '300', '30']]);
  });

  it('given bad CSV rows, then every one is refused naming the file, the row and the field', () => {
    const dir = folder({ 'rooms.csv': 'name,number,shortCode\nReception,200,9\n,201,\nSpa,30x,\nBar,400,abc\n' });
    assert.deepEqual(problems(base({ file: 'rooms.csv' }), dir), [
      'directory.file: rooms.csv row 3, name: is missing',
      'directory.file: rooms.csv row 4, number: must be 1-32 digits, "*", "#" or "+"',
      'directory.file: rooms.csv row 5, shortCode: must be 1-8 digits',
    ]);
  });

  it('given a header with an unknown or missing column, then row 1 is named', () => {
    const dir = folder({ 'a.csv': 'name,phone\nReception,200\n' });
    const [p] = problems(base({ file: 'a.csv' }), dir);
    assert.match(p!, /^directory\.file: a\.csv row 1 \(header\): unknown column "phone", missing column "number"/);
  });

  it('given a YAML entry with a bad field or an unknown key, then its row (position in the list) and field are named', () => {
    const dir = folder({ 'd.yaml': stringify([{ name: 'Ok', number: '1' }, { name: 'Bad', number: 'abc' }, { name: 'X', number: '2', floor: 3 }]) });
    const p = problems(base({ file: 'd.yaml' }), dir);
    assert.equal(p.length, 2);
    assert.equal(p[0], 'directory.file: d.yaml row 2, number: must be 1-32 digits, "*", "#" or "+"');
    assert.match(p[1]!, /^directory\.file: d\.yaml row 3, \(row\): .*floor/);
  });

  it('given a short code used in the file and inline, then both places are refused', () => {
    const dir = folder({ 'd.csv': 'name,number,shortCode\nSpa,300,11\n' });
    assert.deepEqual(problems(base({ file: 'd.csv', entries: [{ name: 'Accounts', number: '201', shortCode: '11' }] }), dir), [
      'directory.entries[0].shortCode: short code "11" used twice',
      'directory.file: d.csv row 2, shortCode: short code "11" used twice',
    ]);
  });

  it('given a file that does not exist or is no YAML list, then the start fails naming it', () => {
    const dir = folder({ 'map.yaml': 'a: 1\n' });
    assert.match(problems(base({ file: 'missing.csv' }), dir)[0]!, /^directory\.file: cannot read missing\.csv/);
    assert.deepEqual(problems(base({ file: 'map.yaml' }), dir), ['directory.file: map.yaml must be a YAML list of entries']);
  });
});
