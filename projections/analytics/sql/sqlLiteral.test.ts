import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { WaError } from '../../../services/shared/index.js';
import { dateTimeText, dayOf, sqlDate, sqlIdentifier, sqlString, sqlStringList, sqlTuple, sqlUInt } from './sqlLiteral.js';

// What ClickHouse's parser does with a quoted literal: the inverse of sqlString.
function unquote(literal: string): string {
  assert.ok(literal.startsWith("'") && literal.endsWith("'"), literal);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i]!;
    assert.notEqual(char, "'", `an unescaped quote in ${literal}`);
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[++i]!;
    if (next === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += next;
  }
  return out;
}

describe('analytics SQL literals', () => {
  it('a string literal holds any text and nothing escapes it', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => assert.equal(unquote(sqlString(text)), text)));
    assert.equal(sqlString("it's \\ here"), "'it\\'s \\\\ here'");
    assert.equal(sqlString('a\nb'), "'a\\x0ab'");
    assert.equal(sqlString("x' OR 1=1 --"), "'x\\' OR 1=1 --'");
  });

  it('numbers, days and names are checked, not escaped', () => {
    assert.equal(sqlUInt(42), '42');
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) assert.throws(() => sqlUInt(bad), WaError);
    assert.equal(sqlDate('2026-11-21'), "toDate('2026-11-21')");
    for (const bad of ['2026-02-30', '2026-1-01', "2026-11-21' OR 1", '']) assert.throws(() => sqlDate(bad), WaError);
    assert.equal(sqlIdentifier('wa_analytics'), 'wa_analytics');
    for (const bad of ['wa-analytics', '1db', 'a;DROP', '']) assert.throws(() => sqlIdentifier(bad), WaError);
  });

  it('lists and tuples quote each value; an empty list is refused', () => {
    assert.equal(sqlStringList(['a', "b'"]), "('a', 'b\\'')");
    assert.throws(() => sqlStringList([]), WaError);
    assert.equal(sqlTuple(['acc', 3, 'id']), "('acc', 3, 'id')");
  });

  it('times are whole UTC seconds in DateTime text, clamped to its range', () => {
    assert.equal(dateTimeText(Date.UTC(2026, 10, 21, 13, 4, 5, 999)), '2026-11-21 13:04:05');
    assert.equal(dateTimeText(-5), '1970-01-01 00:00:00');
    assert.equal(dateTimeText(1e16), '2106-02-07 06:28:15');
    assert.equal(dayOf(Date.UTC(2026, 10, 21, 23, 59)), '2026-11-21');
  });
});
