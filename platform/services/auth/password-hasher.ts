import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export interface PasswordHasher {
  /** `scrypt$N$r$p$salt$hash` (salt and hash base64url), so the cost can be raised without losing old hashes. */
  hash(password: string): Promise<string>;
  /** Verifies against the stored encoding; `undefined` (no such user) is checked against a dummy hash. */
  verify(password: string, encoded: string | undefined): Promise<boolean>;
}

const SALT_BYTES = 16;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is just above N=2^14,r=8; leave room for a raised cost.
  const maxmem = 256 * params.N * params.r + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function encode(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface Decoded {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function decode(encoded: string): Decoded | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || key.length === 0) return undefined;
  return { params: { N, r, p }, salt, key };
}

function validateScryptParams(params: ScryptParams): void {
  const { N, r, p } = params;
  if (!Number.isSafeInteger(N) || N < 2 || (N & (N - 1)) !== 0) throw new Error(`passwordHash.N must be a power of two >= 2, got ${N}`);
  if (!Number.isSafeInteger(r) || r < 1) throw new Error(`passwordHash.r must be a positive integer, got ${r}`);
  if (!Number.isSafeInteger(p) || p < 1) throw new Error(`passwordHash.p must be a positive integer, got ${p}`);
}

/**
 * scrypt from node:crypto (memory-hard, runs on libuv's thread pool so the event loop stays free).
 * The dummy hash makes a login for an unknown username cost one scrypt like a real one, so response
 * time does not tell which usernames exist.
 */
export async function createPasswordHasher(params: ScryptParams): Promise<PasswordHasher> {
  validateScryptParams(params);
  const hash = async (password: string): Promise<string> => {
    const salt = randomBytes(SALT_BYTES);
    return encode(params, salt, await derive(password, salt, params, KEY_BYTES));
  };
  const dummy = decode(await hash(randomBytes(16).toString('base64url')));
  if (!dummy) throw new Error('password hasher: could not decode its own dummy hash');

  return {
    hash,
    async verify(password, encoded) {
      const stored = encoded === undefined ? undefined : decode(encoded);
      const target = stored ?? dummy;
      const key = await derive(password, target.salt, target.params, target.key.length);
      // Evaluate the comparison even for the dummy so both paths do the same work.
      const equal = timingSafeEqual(key, target.key);
      return stored !== undefined && equal;
    },
  };
}
