// The pages' money helpers (web/static/js/money.js) on their own: integer fen to "¥1,234.50" and a
// typed amount to fen exactly, with no floating point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFen, parseYuanToFen, perMille, yuanText } from '../../web/static/js/money.js';

test('fen are formatted with grouping and two decimals', () => {
  assert.equal(formatFen(0), '¥0.00');
  assert.equal(formatFen(5), '¥0.05');
  assert.equal(formatFen(123450), '¥1,234.50');
  assert.equal(formatFen(100000000), '¥1,000,000.00');
  assert.equal(formatFen(-250), '-¥2.50');
  assert.equal(formatFen(5000, { short: true }), '¥50');
  assert.equal(formatFen(5010, { short: true }), '¥50.10');
  assert.equal(formatFen(Number.MAX_SAFE_INTEGER), '¥90,071,992,547,409.91');
});

test('typed amounts become fen exactly', () => {
  const cases = {
    '100': 10000, '100.5': 10050, '100.50': 10050, '0.1': 10, '0.29': 29, '1.005': null,
    '¥1,234.50': 123450, '￥20': 2000, '50元': 5000, ' 12 ': 1200, '.5': 50, '10.': 1000,
    '０.０１': 1, '': null, 'abc': null, '-5': null, '1e3': null, '12.3.4': null, '1,2': null, '1,234': 123400, '12,34.5': null,
  };
  for (const [text, fen] of Object.entries(cases)) assert.equal(parseYuanToFen(text), fen, text);
  // Values where parseFloat(x) * 100 goes wrong stay exact here.
  assert.equal(parseYuanToFen('0.57'), 57);
  assert.equal(parseYuanToFen('1.15'), 115);
  assert.equal(parseYuanToFen('4.35'), 435);
  assert.equal(parseYuanToFen('99999999999.99'), 9999999999999);
  assert.equal(parseYuanToFen(null), null);
});

test('the share of a goal, in per mille, clamped', () => {
  assert.equal(perMille(0, 100), 0);
  assert.equal(perMille(50, 100), 500);
  assert.equal(perMille(150, 100), 1000);
  assert.equal(perMille(10, 0), 0);
  assert.equal(perMille(1, 3), 333);
});

test('fen are written back as yuan a form reads exactly', () => {
  const cases = {
    0: '0', 5: '0.05', 100: '1', 30000: '300', 30050: '300.50', 123456789: '1234567.89',
  };
  for (const [fen, text] of Object.entries(cases)) {
    assert.equal(yuanText(Number(fen)), text, fen);
    assert.equal(parseYuanToFen(text), Number(fen), text);
  }
  assert.equal(yuanText(-250), '-2.50');
});
