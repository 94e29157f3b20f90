import { createHash, randomBytes } from 'node:crypto';

/** The broker's default algorithm (3.6+), named as definitions files name it. */
export const HASHING_ALGORITHM = 'rabbit_password_hashing_sha256';

const SALT_BYTES = 4;

/**
 * RabbitMQ's stored form of a password: base64(salt + sha256(salt + utf8 password)) with a
 * 4-byte random salt. Definitions carry this instead of the password itself.
 */
export function rabbitPasswordHash(password: string, salt = randomBytes(SALT_BYTES)): string {
  if (salt.length !== SALT_BYTES) throw new Error(`The salt must be ${SALT_BYTES} bytes`);
  const digest = createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
    .digest();
  return Buffer.concat([salt, digest]).toString('base64');
}
