import { randomBytes } from 'node:crypto';

/**
 * A file shaped like GGUF as far as an import looks: the magic "GGUF", version 3, zero tensors
 * and zero metadata entries (llama.cpp's gguf.h header), then some bytes. No model runs from it;
 * the test Ollama server does not run models.
 */
export function ggufShaped(extra = 64 * 1024): Buffer {
  const header = Buffer.alloc(24);
  header.write('GGUF', 0, 'latin1');
  header.writeUInt32LE(3, 4);
  header.writeBigUInt64LE(0n, 8);
  header.writeBigUInt64LE(0n, 16);
  return Buffer.concat([header, randomBytes(extra)]);
}
