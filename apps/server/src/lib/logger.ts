import pino from 'pino'

/** Structured log lines; never tokens, passwords or document contents. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: undefined,
  redact: ['password', 'token', 'req.headers.authorization', 'req.headers.cookie'],
})

export type Logger = typeof logger
