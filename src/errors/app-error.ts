/**
 * The one error type that crosses module edges. It carries a stable machine code, an HTTP status
 * and an optional cause; only the edges (api/, web/, cli/) turn it into problem+json or a message.
 */
export class AppError extends Error {
  override readonly name: string = 'AppError';
  /**
   * @param code - stable, documented code (e.g. `HC1_BASE45`); clients switch on it
   * @param message - human-readable reason, precise enough to act on
   * @param status - HTTP status the API answers with
   * @param details - structured context (field paths, row numbers…)
   */
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: Readonly<Record<string, unknown>>,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** RFC 9457 problem details, as the API sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extra: string]: unknown;
}

/**
 * Turns any thrown value into problem details. Unknown errors become a bare 500 without internals.
 * @param err - what was thrown
 */
export function toProblem(err: unknown): Problem {
  if (err instanceof AppError) {
    // Details first: a detail named like a standard member (e.g. a facility `code`) must never
    // replace the problem's own code, status or title.
    return {
      ...(err.details ?? {}),
      type: `https://vaxpass.vn/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
      title: err.code,
      status: err.status,
      detail: err.message,
      code: err.code,
    };
  }
  return { type: 'about:blank', title: 'INTERNAL', status: 500, detail: 'internal error', code: 'INTERNAL' };
}
