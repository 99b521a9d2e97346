import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import { FormatError } from '@concord/shared/formats/model'

/** The closed list of error codes the API answers with. */
export const ERROR_CODES = {
  bad_request: 400,
  invalid_body: 400,
  invalid_format: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof ERROR_CODES

export type ErrorDetails = { path?: (string | number)[]; [key: string]: unknown }

/** The one error type routes throw; the error handler turns it into `{ error: {...} }`. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorDetails | undefined
  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: ErrorOptions) {
    super(message, options)
    this.name = 'AppError'
    this.code = code
    this.details = details
  }

  get status(): ContentfulStatusCode {
    return ERROR_CODES[this.code]
  }
}

/** Turns a zod failure into a 400 naming the first bad field's path. */
export function fromZodError(error: ZodError, where = 'body'): AppError {
  const issue = error.issues[0]
  const path = issue ? issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) : []
  const field = path.length > 0 ? path.join('.') : where
  return new AppError('invalid_body', `${field}: ${issue?.message ?? 'invalid'}`, {
    path,
    issues: error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  })
}

/**
 * Turns anything thrown into the AppError the API answers with: bad input keeps its code and
 * place, anything else is an internal fault (logged by the caller, never shown).
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof ZodError) return fromZodError(error)
  // Bad input a format found (a malformed file, an option it does not take) is the caller's.
  if (error instanceof FormatError) {
    return new AppError('invalid_format', error.message, {
      file: error.file,
      where: error.where,
      path: [],
    })
  }
  if (error instanceof HTTPException) {
    const code = HTTP_CODES[error.status] ?? (error.status < 500 ? 'bad_request' : 'internal')
    return new AppError(code, error.message || code, undefined, { cause: error })
  }
  return new AppError('internal', 'The server failed; the error is logged', undefined, {
    cause: error,
  })
}

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
}
