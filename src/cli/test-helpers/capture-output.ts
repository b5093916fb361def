/**
 * Test helper: runs a CLI action in-process and captures what it writes. Only strings are ours:
 * Node's test runner itself talks to its parent through stdout in binary frames, which pass on.
 */
export async function captureOutput<T>(work: () => Promise<T>): Promise<{ result: T; out: string; err: string }> {
  let out = '';
  let err = '';
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = (s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? ((out += s), true) : w1(s, ...rest));
  process.stderr.write = (s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? ((err += s), true) : w2(s, ...rest));
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    const result = await work();
    return { result, out, err };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.exitCode = saved;
  }
}
