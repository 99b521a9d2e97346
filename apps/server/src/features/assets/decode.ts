import { decode as decodeBmp } from 'bmp-ts'
import sharp from 'sharp'
import { AppError } from '../../lib/errors.ts'

/** Longest side of a thumbnail, in pixels: crisp in a grid of cards on a high-density screen. */
export const THUMBNAIL_SIZE = 256

/** What an upload became once decoded. */
export type DecodedImage = {
  /** The original's format and media type. */
  format: 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'bmp'
  mediaType: string
  /** Displayed size: EXIF orientation applied. */
  width: number
  height: number
  /** The image as a browser should show it, when the original will not do. */
  display: { bytes: Uint8Array; mediaType: string } | null
  thumbnail: Uint8Array
}

const MEDIA_TYPES = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
  gif: 'image/gif',
  bmp: 'image/bmp',
} as const

type Format = keyof typeof MEDIA_TYPES

/** Formats every browser shows as they are; the rest are re-encoded for display. */
const BROWSER_FORMATS = new Set<Format>(['jpeg', 'png', 'webp', 'gif'])

/**
 * Decodes an upload completely (not just its header), so a file that merely looks like an
 * image is refused with 415. GIF and TIFF give their first frame or page. BMP, which sharp
 * cannot read, is decoded by bmp-ts and handed over as raw pixels.
 */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  const { image, format } = await openImage(bytes)
  const meta = await image.metadata()
  const orientation = meta.orientation ?? 1
  const size = meta.autoOrient ?? swapIfRotated(meta.width, meta.height, orientation)
  if (!size.width || !size.height) throw notAnImage()

  let thumbnail: Uint8Array
  let display: DecodedImage['display'] = null
  try {
    // Rendering the thumbnail decodes every pixel: a truncated or corrupt file fails here.
    thumbnail = await image
      .clone()
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 80 })
      .toBuffer()
    if (orientation !== 1 || !BROWSER_FORMATS.has(format))
      display = await renderDisplay(image, format)
  } catch (error) {
    throw notAnImage(error)
  }
  return { format, mediaType: MEDIA_TYPES[format], ...size, display, thumbnail }
}

async function openImage(bytes: Uint8Array): Promise<{ image: sharp.Sharp; format: Format }> {
  if (isBmp(bytes)) {
    try {
      const bmp = decodeBmp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        toRGBA: true,
      })
      const raw = { width: bmp.width, height: bmp.height, channels: 4 as const }
      // bmp-ts fills alpha with 0 for formats without one, so the alpha channel is dropped.
      const image = sharp(bmp.data, { raw }).removeAlpha()
      return { image, format: 'bmp' }
    } catch (error) {
      throw notAnImage(error)
    }
  }
  try {
    const image = sharp(bytes, { failOn: 'error' })
    const { format } = await image.metadata()
    const known = format === 'jpg' ? 'jpeg' : format
    if (
      known === 'jpeg' ||
      known === 'png' ||
      known === 'webp' ||
      known === 'tiff' ||
      known === 'gif'
    ) {
      return { image, format: known }
    }
  } catch (error) {
    throw notAnImage(error)
  }
  throw notAnImage()
}

/** Applies the orientation and picks an encoding browsers show: JPEG stays JPEG, the rest PNG. */
async function renderDisplay(image: sharp.Sharp, format: Format) {
  const oriented = image.clone().rotate()
  if (format === 'jpeg') {
    return {
      bytes: new Uint8Array(await oriented.jpeg({ quality: 92 }).toBuffer()),
      mediaType: 'image/jpeg',
    }
  }
  if (format === 'webp') {
    return {
      bytes: new Uint8Array(await oriented.webp({ lossless: true }).toBuffer()),
      mediaType: 'image/webp',
    }
  }
  return { bytes: new Uint8Array(await oriented.png().toBuffer()), mediaType: 'image/png' }
}

function swapIfRotated(width: number | undefined, height: number | undefined, orientation: number) {
  // EXIF orientations 5 to 8 turn the image a quarter, so width and height trade places.
  return orientation >= 5 && orientation <= 8
    ? { width: height ?? 0, height: width ?? 0 }
    : { width: width ?? 0, height: height ?? 0 }
}

function isBmp(bytes: Uint8Array): boolean {
  return bytes.length > 26 && bytes[0] === 0x42 && bytes[1] === 0x4d
}

function notAnImage(cause?: unknown): AppError {
  // sharp refuses images past its pixel limit (about 268 megapixels) with this message; that
  // image is readable, only too large, and the person uploading it should be told so.
  if (cause instanceof Error && /pixel limit/i.test(cause.message)) {
    return new AppError(
      'too_large',
      'The image has more pixels than Concord accepts (about 268 megapixels)',
      undefined,
      { cause },
    )
  }
  return new AppError(
    'unsupported_media_type',
    'Not an image Concord can read (JPEG, PNG, WebP, BMP, TIFF or GIF)',
    undefined,
    { cause },
  )
}
