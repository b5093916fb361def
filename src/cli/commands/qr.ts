/**
 * `vaxpass qr render TEXT --svg FILE | --png FILE [--ecc M] [--scale N] [--margin N]` and
 * `vaxpass qr decode IMAGE [--json]`. Decode exits 0 when it found a code, 1 when it found none,
 * 2 when the file cannot be read or is not a PNG/JPEG image. `-` as FILE means standard output.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { decodeQrImage, pngFromMatrix, qrMatrix, svgFromMatrix } from '../../hcert/qr/index.js';
import type { EccLevel } from '../../hcert/qr/index.js';

interface RenderOptions {
  svg?: string;
  png?: string;
  ecc: EccLevel;
  scale: number;
  margin: number;
}

function eccLevel(v: string): EccLevel {
  const up = v.toUpperCase();
  if (up === 'L' || up === 'M' || up === 'Q' || up === 'H') return up;
  throw new InvalidArgumentError('one of L, M, Q, H');
}

function wholeNumber(min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > 1000) throw new InvalidArgumentError(`an integer from ${min} to 1000`);
    return n;
  };
}

async function output(file: string, data: string | Buffer): Promise<void> {
  if (file === '-') process.stdout.write(data);
  else await writeFile(file, data);
}

async function renderCommand(text: string, opts: RenderOptions): Promise<void> {
  if (opts.svg === undefined && opts.png === undefined) throw new AppError('USAGE', 'qr render: give --svg FILE and/or --png FILE');
  const q = qrMatrix(text, { ecc: opts.ecc });
  if (opts.svg !== undefined) await output(opts.svg, svgFromMatrix(q, { margin: opts.margin }));
  if (opts.png !== undefined) await output(opts.png, pngFromMatrix(q, { scale: opts.scale, margin: opts.margin }));
  process.stderr.write(`QR version ${q.version}-${q.ecc} (${q.size}×${q.size} modules, ${q.mode} mode, mask ${q.mask})\n`);
}

async function decodeCommand(image: string, opts: { json?: boolean }): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(image);
  } catch (err) {
    throw new AppError('USAGE', `cannot read ${image}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 400, { file: image }, { cause: err });
  }
  const texts = await decodeQrImage(bytes); // QR_IMAGE_INVALID (status 400) → exit 2 in main
  if (opts.json) process.stdout.write(`${JSON.stringify({ image, texts })}\n`);
  else for (const t of texts) process.stdout.write(`${t}\n`);
  if (texts.length === 0) {
    if (!opts.json) process.stderr.write(`no QR code found in ${image}\n`);
    return 1;
  }
  return 0;
}

/**
 * Registers `vaxpass qr render` and `vaxpass qr decode`.
 * @param program - the root command
 */
export function registerQr(program: Command): void {
  const qr = program.command('qr').description('render QR codes (SVG/PNG) and read them from PNG/JPEG images');
  qr.command('render')
    .description('render TEXT (e.g. an HC1: string) as a QR code')
    .argument('<text>', 'content to encode')
    .option('--svg <file>', 'write an SVG image (- for standard output)')
    .option('--png <file>', 'write a PNG image (- for standard output)')
    .option('--ecc <level>', 'error-correction level: L, M, Q or H', eccLevel, 'M' as EccLevel)
    .option('--scale <px>', 'PNG pixels per module', wholeNumber(1), 4)
    .option('--margin <modules>', 'quiet zone in modules', wholeNumber(0), 4)
    .action((text: string, opts: RenderOptions) => renderCommand(text, opts));
  qr.command('decode')
    .description('print the text of every QR code in a PNG or JPEG image, one per line')
    .argument('<image>', 'path to the image')
    .option('--json', 'print {"image", "texts": [...]} as JSON')
    .action(async (image: string, opts: { json?: boolean }) => {
      process.exitCode = await decodeCommand(image, opts);
    });
}
