/**
 * Wire constants shared by the sync server and its clients. y-websocket's own message types
 * are 0 (sync), 1 (awareness), 2 (auth) and 3 (query awareness); Concord adds one.
 */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3
/**
 * Server → client: the state vector of what is durably stored. A client is saved when the
 * stored clock of its own client id reaches its local clock. Sent only to connections that
 * asked for it with the `saved=1` query parameter, so stock y-websocket clients see nothing
 * they do not understand.
 */
export const MESSAGE_SAVED = 100

/** WebSocket close codes the server uses when it refuses or drops a connection. */
export const CLOSE_CODES = {
  unauthenticated: 4001,
  forbidden: 4003,
  notFound: 4004,
  malformedMessage: 4400,
  updateRejected: 4422,
  tooLarge: 4413,
  serverShutdown: 4503,
  internalError: 4500,
} as const

export type CloseReason = keyof typeof CLOSE_CODES

/** A message a person can read for each close code. */
export const CLOSE_MESSAGES: Record<number, string> = {
  [CLOSE_CODES.unauthenticated]: 'Sign in again: the session is missing or has expired.',
  [CLOSE_CODES.forbidden]: 'You do not have access to this document.',
  [CLOSE_CODES.notFound]: 'This document does not exist.',
  [CLOSE_CODES.malformedMessage]: 'The connection sent a message the server could not read.',
  [CLOSE_CODES.updateRejected]: 'An edit could not be applied and was refused.',
  [CLOSE_CODES.tooLarge]: 'A message was larger than the server accepts.',
  [CLOSE_CODES.serverShutdown]: 'The server is restarting; reconnecting.',
  [CLOSE_CODES.internalError]: 'The server failed; reconnecting.',
}
