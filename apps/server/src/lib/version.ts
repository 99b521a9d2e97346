/** The running version, reported by `/api/health` and the OpenAPI description; bumped with releases. */
export const VERSION = '0.1.0'
