import assert from 'node:assert/strict';
import { toCsv, toJson } from '../../../lib/cli/stats-format.ts';

describe('toCsv', () => {
  it('given plain rows, when writing CSV, then a header and CRLF-terminated records come out', () => {
    assert.equal(toCsv([{ scope: 'group:a', offered: 3 }, { scope: 'group:b', offered: 0.25 }]),
      'scope,offered\r\ngroup:a,3\r\ngroup:b,0.25\r\n');
  });

  it('given commas, quotes and line breaks, when writing CSV, then those fields are quoted with quotes doubled (RFC 4180)', () => {
    const csv = toCsv([{ name: 'Smith, John', note: 'said "hi"', text: 'two\nlines', cr: 'a\rb', plain: 'x' }]);
    assert.equal(csv, 'name,note,text,cr,plain\r\n"Smith, John","said ""hi""","two\nlines","a\rb",x\r\n');
  });

  it('given a header that needs quoting, when writing CSV, then the header is quoted too', () => {
    assert.equal(toCsv([{ 'a,b': 1 }]), '"a,b"\r\n1\r\n');
  });

  it('given rows with different keys, when writing CSV, then columns are the union in first-seen order and gaps are empty', () => {
    assert.equal(toCsv([{ a: 1 }, { b: 2, a: 3 }]), 'a,b\r\n1,\r\n3,2\r\n');
  });

  it('given null and non-finite numbers, when writing CSV, then they are empty fields', () => {
    assert.equal(toCsv([{ a: null, b: Number.NaN, c: Number.POSITIVE_INFINITY, d: 0 }]), 'a,b,c,d\r\n,,,0\r\n');
  });

  it('given no rows, when writing CSV, then the result is empty', () => {
    assert.equal(toCsv([]), '');
  });
});

describe('toJson', () => {
  it('given rows, when writing JSON, then it is indented, ends with a newline and round-trips', () => {
    const rows = [{ scope: 'group:a', serviceLevel: 0.8 }];
    const text = toJson(rows);
    assert.ok(text.endsWith('}\n]\n'), 'text.endsWith(\'}\\n]\\n\')');
    assert.deepEqual(JSON.parse(text), rows);
  });

  it('given non-finite numbers, when writing JSON, then they become null', () => {
    assert.equal(toJson({ asa: Number.POSITIVE_INFINITY, x: Number.NaN }), '{\n  "asa": null,\n  "x": null\n}\n');
  });
});
