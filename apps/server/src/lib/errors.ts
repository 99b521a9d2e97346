import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'

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
