/**
 * The goals of `vaxpass bench` and the human-readable report: rates, goals table, stage
 * breakdown. Ratios compare figures measured in the same run (see run-bench.ts); verdicts use the
 * wall clock, with the CPU-time value beside them as a cross-check on a busy machine.
 */
import type { BenchResult, Goal } from './bench-result.js';
import type { RegistryBenchResult } from './registry-bench.js';
import type { StageGroup } from './stages.js';

type Measured = Omit<BenchResult, 'goals'>;

/**
 * Checks the measured figures against the goals.
 * @param r - the measured result
 */
export function evaluateGoals(r: Measured): Goal[] {
  const q = r.ratios;
  const c = r.cpu_time.ratios;
  const g = (id: string, measure: string, value: number, target: number, unit: Goal['unit'], cpuValue?: number): Goal => ({
    id,
    measure,
    value,
    target,
    unit,
    pass: value >= target,
    ...(cpuValue === undefined ? {} : { cpu_value: cpuValue, cpu_pass: cpuValue >= target }),
  });
  const ratioGoal = (id: string, measure: string, target: number, unit: Goal['unit']): Goal => g(id, measure, q[id] ?? 0, target, unit, c[id] ?? 0);
  return [
    ratioGoal('es256_issue_vs_openssl_sign', 'ES256 issue / OpenSSL ES256 sign', 0.5, '%'),
    ratioGoal('es256_verify_vs_openssl_verify', 'ES256 verify (schema+value sets) / OpenSSL ES256 verify', 0.75, '%'),
    ratioGoal('ps256_issue_vs_openssl_rsa2048_sign', 'PS256 issue / OpenSSL RSA 2048 sign', 0.7, '%'),
    ratioGoal('es256_issue_vs_peer', `ES256 issue / ${r.peer.name} issue`, 15, 'x'),
    ratioGoal('es256_verify_vs_peer', `ES256 verify / ${r.peer.name} verify`, 15, 'x'),
    // "≥ 1.8× one core on 2 cores": 90 % of linear scaling, whatever the core count. Its CPU-time
    // value is the scaling on idle cores (workers × issues per CPU second / one core's).
    ratioGoal('pool_vs_one_core', `pool (${r.pool.workers} workers) / one-core ES256 issue`, Math.round(0.9 * r.cores * 100) / 100, 'x'),
    g('qr_svg_per_s', 'QR SVG renders per second', r.qr.svg_per_s, 2000, '/s', r.cpu_time.qr.svg_per_s),
    // Issue "Trust and keys": on SoftHSM2 the HSM path keeps at least half the file-key rate.
    g('hsm_es256_vs_file', `HSM ES256 sign / file-key ES256 sign${hsmNote(r)}`, q.hsm_es256_vs_file ?? 0, 0.5, '%'),
    g('hsm_ps256_vs_file', `HSM PS256 sign / file-key PS256 sign (RSA 2048)${hsmNote(r)}`, q.hsm_ps256_vs_file ?? 0, 0.5, '%'),
  ];
}

function hsmNote(r: Measured): string {
  return r.keys.hsm.available ? '' : ' (HSM unavailable)';
}

function show(value: number, unit: Goal['unit']): string {
  if (unit === '%') return `${(value * 100).toFixed(1)} %`;
  if (unit === 'x') return `${value.toFixed(2)}×`;
  return int(value);
}

function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function pct(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)} %`;
}

/** Left-aligned first column, right-aligned others. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n');
}

/**
 * The goals as a table: measure, value, goal, PASS/FAIL, and the CPU-time cross-check.
 * @param goals - evaluated goals
 */
export function goalsTable(goals: readonly Goal[]): string {
  const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');
  return table([
    ['measure', 'value', 'goal', 'result', 'cpu-time value', 'cpu-time result'],
    ...goals.map((x) => [
      x.measure,
      show(x.value, x.unit),
      `≥ ${show(x.target, x.unit)}`,
      verdict(x.pass),
      x.cpu_value === undefined ? '-' : show(x.cpu_value, x.unit),
      x.cpu_pass === undefined ? '-' : verdict(x.cpu_pass),
    ]),
  ]);
}

/**
 * The measured rates as a table, wall clock and CPU time.
 * @param r - the result
 */
export function ratesTable(r: Measured): string {
  const c = r.cpu_time;
  const rows: [string, number, number | undefined][] = [
    ['OpenSSL ES256 sign', r.openssl.es256_sign_per_s, c.openssl.es256_sign_per_s],
    ['OpenSSL ES256 verify', r.openssl.es256_verify_per_s, c.openssl.es256_verify_per_s],
    ['OpenSSL RSA 2048 sign', r.openssl.rsa2048_sign_per_s, c.openssl.rsa2048_sign_per_s],
    ['OpenSSL RSA 2048 verify', r.openssl.rsa2048_verify_per_s, c.openssl.rsa2048_verify_per_s],
    [`OpenSSL ES256 sign, ${r.cores} processes (all cores)`, r.openssl.es256_sign_all_cores_per_s, undefined],
    ['ES256 issue', r.es256.issue_per_s, c.es256.issue_per_s],
    ['ES256 verify (schema + value sets)', r.es256.verify_per_s, c.es256.verify_per_s],
    ['ES256 verify (no payload checks)', r.es256.verify_no_payload_checks_per_s, c.es256.verify_no_payload_checks_per_s],
    ['PS256 issue', r.ps256.issue_per_s, c.ps256.issue_per_s],
    ['PS256 verify (schema + value sets)', r.ps256.verify_per_s, c.ps256.verify_per_s],
    ['PS256 verify (no payload checks)', r.ps256.verify_no_payload_checks_per_s, c.ps256.verify_no_payload_checks_per_s],
    [`peer ${r.peer.name} ${r.peer.version} ES256 issue`, r.peer.es256.issue_per_s, c.peer.es256.issue_per_s],
    [`peer ${r.peer.name} ${r.peer.version} ES256 verify`, r.peer.es256.verify_per_s, c.peer.es256.verify_per_s],
    [`pool ES256 issue (${r.pool.workers} workers, all cores)`, r.pool.es256.issue_per_s, r.cpu_time.pool.es256.issue_per_s],
    [`QR SVG renders (${r.qr.text_chars}-char HC1)`, r.qr.svg_per_s, c.qr.svg_per_s],
    ['file-key ES256 sign (Node crypto)', r.keys.file.es256_sign_per_s, undefined],
    ['file-key PS256 sign (RSA 2048, Node crypto)', r.keys.file.ps256_sign_per_s, undefined],
    [`HSM ES256 sign (PKCS#11${r.keys.hsm.available ? '' : ', unavailable'})`, r.keys.hsm.es256_sign_per_s, undefined],
    [`HSM PS256 sign (PKCS#11, RSA 2048${r.keys.hsm.available ? '' : ', unavailable'})`, r.keys.hsm.ps256_sign_per_s, undefined],
  ];
  return table([['measure (one core unless stated)', 'per second', 'per CPU second'], ...rows.map(([k, v, x]) => [k, int(v), x === undefined ? '-' : int(x)])]);
}

/**
 * Stage breakdown of one algorithm: time per call and share of the whole call, on both clocks.
 * @param name - e.g. `ES256`
 * @param wall - the algorithm's stage figures on the wall clock
 * @param cpu - the same on CPU time
 */
export function stagesTable(name: string, wall: Record<string, StageGroup>, cpu: Record<string, StageGroup>): string {
  const rows: string[][] = [[`${name} stage`, 'per second', 'µs/call', 'share', 'CPU µs/call', 'CPU share']];
  for (const [group, g] of Object.entries(wall)) {
    const cg = cpu[group] ?? {};
    for (const [stage, v] of Object.entries(g)) {
      const cv = cg[stage];
      if (typeof v === 'number' || typeof cv !== 'object') continue;
      rows.push([`${group} ${stage}`, int(v.per_s), v.us.toFixed(2), pct(v.share, 1), cv.us.toFixed(2), pct(cv.share, 1)]);
    }
    const sums = [g.stages_us, g.other_us, g.total_us, cg.stages_us, cg.other_us, cg.total_us];
    if (sums.every((x) => typeof x === 'number')) {
      const [s, o, t, cs, co, ct] = sums;
      rows.push([`${group} sum of the disjoint stages`, '', s!.toFixed(2), pct(s!, t!), cs!.toFixed(2), pct(cs!, ct!)]);
      rows.push([`${group} outside them (whole - sum)`, '', o!.toFixed(2), pct(o!, t!), co!.toFixed(2), pct(co!, ct!)]);
    }
  }
  return table(rows);
}

/**
 * The full human-readable report.
 * @param r - the result
 */
export function formatReport(r: BenchResult): string {
  const m = r.machine;
  const failed = r.goals.filter((x) => !x.pass).length;
  return [
    `VaxPass bench: ${r.cores} cores, ${m.cpu}, Node ${m.node} (OpenSSL ${m.node_openssl}), ${m.openssl}`,
    `${r.method.rounds} interleaved rounds, ${r.method.seconds} s windows (openssl speed -seconds ${r.method.openssl_seconds}); ${r.method.pick}`,
    `load average ${m.load_average.start.join(' ')} at start, ${m.load_average.end.join(' ')} at end`,
    '',
    ratesTable(r),
    '',
    goalsTable(r.goals),
    '',
    stagesTable('ES256', r.stages.es256, r.cpu_time.stages.es256),
    '',
    stagesTable('PS256', r.stages.ps256, r.cpu_time.stages.ps256),
    '',
    `OpenSSL on all ${r.cores} cores / one core: ${r.ratios.openssl_all_cores_vs_one_core?.toFixed(2) ?? '?'}× (the machine's own scaling during this run)`,
    r.keys.hsm.available ? `HSM: ${r.keys.hsm.token ?? 'SoftHSM2 token from the environment'}` : `HSM figures unavailable: ${r.keys.hsm.reason ?? 'unknown reason'}`,
    `peer interop: ours verifies peer ${r.peer.interop.ours_verifies_peer}, peer verifies ours ${r.peer.interop.peer_verifies_ours}`,
    failed === 0 ? 'all goals met' : `${failed} of ${r.goals.length} goals missed (wall clock)`,
  ].join('\n');
}

/**
 * The human-readable report of `vaxpass bench registry`.
 * @param r - the registry result
 */
export function formatRegistryReport(r: RegistryBenchResult): string {
  const m = r.machine;
  const engine = (name: string, f: RegistryBenchResult['import']['sqlite']): string[][] =>
    f.available
      ? [
          [`CSV → ${name} import, first (${int(f.imported)} imported, ${int(f.rejected)} quarantined)`, int(f.rows_per_s)],
          [`CSV → ${name} re-import (all duplicates)`, int(f.reimport_rows_per_s)],
        ]
      : [[`CSV → ${name} import: unavailable (${f.reason ?? 'unknown reason'})`, '-']];
  const failed = r.goals.filter((x) => !x.pass).length;
  return [
    `VaxPass registry bench: ${r.cores} cores, ${m.cpu}, Node ${m.node}`,
    `load average ${m.load_average.start.join(' ')} at start, ${m.load_average.end.join(' ')} at end`,
    `import file: ${int(r.file.rows)} rows (${int(r.file.people)} seeded people, ${(r.file.bytes / 1e6).toFixed(1)} MB); each import measured once`,
    '',
    table([
      ['measure (one process)', 'per second'],
      [`seed to CSV, people (${int(r.seed.people)} people, ${int(r.seed.rows)} rows)`, int(r.seed.people_per_s)],
      ['CSV parse only, rows', int(r.csv_parse_rows_per_s)],
      ['validation only (memoised validator), rows', int(r.validate_rows_per_s)],
      ...engine('SQLite', r.import.sqlite),
      ...engine('PostgreSQL', r.import.postgres),
      ...(r.peak_rss.measured ? [[`CSV → SQLite import of ${int(r.peak_rss.rows)} rows (child process)`, int(r.peak_rss.rows_per_s)]] : []),
    ]),
    '',
    r.peak_rss.measured ? `peak RSS of the ${int(r.peak_rss.rows)}-row import: ${int(r.peak_rss.max_rss_mb)} MB (process.resourceUsage().maxRSS of the child)` : 'peak RSS: not measured (--rss-rows 0)',
    '',
    goalsTable(r.goals),
    failed === 0 ? 'all goals met' : `${failed} of ${r.goals.length} goals missed`,
  ].join('\n');
}
