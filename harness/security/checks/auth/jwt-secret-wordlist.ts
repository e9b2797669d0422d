import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Secrets frameworks and tutorials ship as defaults (the head of jwt_tool's jwt-common list), and ''
 * for the blank-key CVEs: tried first, and the only ones tried online (a guess costs a request there).
 */
export const DEFAULT_SECRETS: readonly string[] = [
  'secret',
  'password',
  '123456',
  'changeme',
  'jwt',
  'key',
  'secretkey',
  'secret-key',
  'jwt-secret',
  'jwt_secret',
  'jwtsecret',
  'your-256-bit-secret',
  'supersecret',
  'admin',
  'test',
  'default',
  'private',
  'token',
  'qwerty',
  '',
];

/**
 * What SEC-JWT-10 tries offline against a captured HMAC token, most likely first: the defaults above,
 * then zxcvbn's list of common passwords (49,233, from leaked-password frequency lists, most common
 * first) and the EFF Diceware words (7,776 common English words), both from the MIT-licensed
 * @zxcvbn-ts/language-common package, which keeps them for its password-strength estimator. A
 * well-kept package rather than a list copied here: it is maintained, versioned and cited.
 */
export function jwtSecretWordlist(): readonly string[] {
  return [...new Set([...DEFAULT_SECRETS, ...dictionary['passwords-common'], ...dictionary['diceware-common']])];
}
