import { createHash } from 'node:crypto';
import { rabbitPasswordHash } from './password-hash';

/** Splits a stored hash into its salt and digest, and checks a password against it. */
function verifies(hash: string, password: string): boolean {
  const bytes = Buffer.from(hash, 'base64');
  const salt = bytes.subarray(0, 4);
  const expected = createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
    .digest();
  return bytes.length === 36 && bytes.subarray(4).equals(expected);
}

describe('rabbitPasswordHash', () => {
  it("matches the worked example of RabbitMQ's password guide (salt 908DC60A, password test12)", () => {
    expect(rabbitPasswordHash('test12', Buffer.from('908DC60A', 'hex'))).toBe(
      'kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR',
    );
  });

  it('is base64 of a 4-byte salt and the sha256 of salt + password, verifiable with that salt', () => {
    const hash = rabbitPasswordHash('payment-dev-only-password');
    expect(hash).toMatch(/^[A-Za-z0-9+/]{48}$/);
    expect(verifies(hash, 'payment-dev-only-password')).toBe(true);
    expect(verifies(hash, 'payment-dev-only-passwore')).toBe(false);
  });

  it('hashes the UTF-8 bytes of the password', () => {
    const salt = Buffer.from('01020304', 'hex');
    const hash = rabbitPasswordHash('pässwörd-ünïcode', salt);
    expect(verifies(hash, 'pässwörd-ünïcode')).toBe(true);
    expect(hash).not.toBe(rabbitPasswordHash('passwrd-ncode', salt));
  });

  it('draws a fresh salt each time, so equal passwords get different hashes', () => {
    const first = rabbitPasswordHash('same-password');
    const second = rabbitPasswordHash('same-password');
    expect(first).not.toBe(second);
    expect(verifies(first, 'same-password') && verifies(second, 'same-password')).toBe(true);
  });

  it('refuses a salt of another length', () => {
    expect(() => rabbitPasswordHash('password', Buffer.alloc(8))).toThrow(/4 bytes/);
  });
});
