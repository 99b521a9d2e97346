/**
 * Content-addressed blob storage: bytes go in once under their SHA-256. The local disk is the
 * default; an S3-compatible store implements the same interface for deployments that need one.
 */
export interface BlobStore {
  /** Stores bytes and returns their hex SHA-256; storing the same bytes twice is a no-op. */
  put(bytes: Uint8Array): Promise<string>
  /**
   * Stores bytes that arrive in chunks (an export as it is written) without holding them all,
   * and returns their hex SHA-256, like `put`.
   */
  putStream(chunks: AsyncIterable<Uint8Array>): Promise<string>
  /** The bytes under `hash`, or null when there are none. */
  get(hash: string): Promise<Uint8Array | null>
  /** The bytes under `hash` as a stream, and their size, or null when there are none. */
  openStream(hash: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number } | null>
  has(hash: string): Promise<boolean>
}
