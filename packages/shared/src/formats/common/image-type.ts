/**
 * Image types told apart by their first bytes, for images that arrive without a usable name
 * (labelme's base64 `imageData`). Only the types browsers and the server's decoder read.
 */
const SIGNATURES: { ext: string; matches: (b: Uint8Array) => boolean }[] = [
  { ext: '.jpg', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { ext: '.png', matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { ext: '.gif', matches: (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a' },
  { ext: '.webp', matches: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { ext: '.bmp', matches: (b) => ascii(b, 0, 2) === 'BM' && b.length >= 26 },
]

/** The extension (`.jpg`, `.png`, `.bmp`, `.gif`, `.webp`) the bytes' magic number says, if any. */
export function sniffImageExtension(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find((signature) => signature.matches(bytes))?.ext
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte)
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end))
}
