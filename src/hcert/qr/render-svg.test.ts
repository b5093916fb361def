import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { qrMatrix, type QrMatrix } from './qr-matrix.js';
import { renderSvg, svgFromMatrix } from './render-svg.js';
import { sampleHc1Text } from './qr-bench.js';

/** Cells painted by path data made of `M/m x y h n v1 h-n z` rectangles; fails on anything else. */
function paintedCells(d: string): Set<string> {
  const cells = new Set<string>();
  const tokens = d.match(/[MmhvHVzZ]|-?\d+/g) ?? [];
  let i = 0;
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  const num = (): number => Number(tokens[i++]);
  while (i < tokens.length) {
    const cmd = tokens[i++];
    if (cmd === 'M' || cmd === 'm') {
      const nx = num();
      const ny = num();
      [x, y] = cmd === 'M' ? [nx, ny] : [startX + nx, startY + ny];
      [startX, startY] = [x, y];
      assert.equal(tokens[i++], 'h');
      const w = num();
      assert.deepEqual(tokens.slice(i, i + 5), ['v', '1', 'h', String(-w), 'z'], `rectangle at ${x},${y}`);
      i += 5;
      for (let k = 0; k < w; k++) cells.add(`${x + k},${y}`);
    } else assert.fail(`unexpected path command ${String(cmd)}`);
  }
  return cells;
}

function darkCells(q: QrMatrix, margin: number): Set<string> {
  const cells = new Set<string>();
  for (let y = 0; y < q.size; y++) for (let x = 0; x < q.size; x++) if (q.modules[y * q.size + x] === 1) cells.add(`${x + margin},${y + margin}`);
  return cells;
}

describe('renderSvg', () => {
  it('is one well-formed <svg> with viewBox, crispEdges, a background and one <path>', () => {
    const svg = renderSvg(sampleHc1Text(580));
    const m = /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 85 85" shape-rendering="crispEdges"><rect width="85" height="85" fill="#fff"\/><path fill="#000" d="([^"]*)"\/><\/svg>$/.exec(svg);
    assert.ok(m, svg.slice(0, 200));
    assert.equal(svg.match(/<path/g)?.length, 1);
    assert.match(m[1]!, /^[Mmhvz0-9 -]+$/);
  });

  it('paints exactly the dark modules, offset by the quiet zone', () => {
    for (const [text, margin] of [
      [sampleHc1Text(580), 4],
      ['HELLO', 0],
      ['Nguyễn Văn A — 2021-06-01', 2],
      [sampleHc1Text(2000, 9), 4],
    ] as const) {
      const q = qrMatrix(text);
      const svg = svgFromMatrix(q, { margin });
      const d = /d="([^"]*)"/.exec(svg)![1]!;
      assert.deepEqual(paintedCells(d), darkCells(q, margin), text.slice(0, 20));
    }
  });

  it('is compact: run-length rectangles, ~18 KB for a version-15 code', () => {
    const svg = renderSvg(sampleHc1Text(580));
    assert.ok(svg.length < 22_000, `${svg.length} bytes`);
  });

  it('applies options and escapes attribute values', () => {
    const svg = renderSvg('HELLO', { ecc: 'H', margin: 1, color: '#123"><script>', background: 'none', size: 256 });
    assert.match(svg, /viewBox="0 0 23 23" width="256" height="256"/);
    assert.ok(!svg.includes('<rect'));
    assert.ok(!svg.includes('<script>'));
    assert.match(svg, /fill="#123&#34;&#62;&#60;script&#62;"/);
  });
});
