import type { RequestOptions } from '../../config/flow-api.ts';

/** Whether a status was expected (200-399 unless the request says otherwise); 0 (no response) never is. */
export function isExpectedStatus(status: number, expect: RequestOptions['expect']): boolean {
  if (status === 0) return false;
  if (expect === undefined) return status >= 200 && status < 400;
  if (typeof expect === 'number') return status === expect;
  if (typeof expect === 'function') return expect(status);
  return expect.includes(status);
}
