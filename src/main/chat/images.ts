import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { MAX_IMAGE_BYTES, type ImageUpload } from '../../shared/contract';

/** The image kinds vision models take, told by their first bytes (a file's name or type can lie). */
export function sniffImage(bytes: Uint8Array): string | null {
  const b = (i: number) => bytes[i] ?? -1;
  if (
    b(0) === 0x89 &&
    b(1) === 0x50 &&
    b(2) === 0x4e &&
    b(3) === 0x47 &&
    b(4) === 0x0d &&
    b(5) === 0x0a &&
    b(6) === 0x1a &&
    b(7) === 0x0a
  )
    return 'image/png';
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'image/jpeg';
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x38) return 'image/gif';
  if (
    b(0) === 0x52 &&
    b(1) === 0x49 &&
    b(2) === 0x46 &&
    b(3) === 0x46 &&
    b(8) === 0x57 &&
    b(9) === 0x45 &&
    b(10) === 0x42 &&
    b(11) === 0x50
  )
    return 'image/webp';
  return null;
}

export interface CheckedImage {
  id: string;
  mime: string;
  name: string;
  bytes: Buffer;
}

/** Decodes and checks an attached image; a file that is not a PNG, JPEG, WebP or GIF is refused by name. */
export function checkImage(upload: ImageUpload): CheckedImage {
  const bytes = Buffer.from(upload.data, 'base64');
  if (bytes.length === 0) throw new AppError('INVALID_INPUT', `${upload.name} is empty`);
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new AppError('INVALID_INPUT', `${upload.name} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
  const mime = sniffImage(bytes);
  if (!mime) throw new AppError('INVALID_INPUT', `${upload.name} is not an image (PNG, JPEG, WebP or GIF)`);
  return { id: createHash('sha256').update(bytes).digest('hex'), mime, name: upload.name, bytes };
}
