import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

export interface Exchange {
  /** The TCP (and, for TLS, the handshake) completed. */
  readonly connected: boolean;
  readonly data: Buffer;
  /** Why it ended early: an errno code or TLS alert ('ECONNREFUSED', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'). */
  readonly error?: string;
  /** TLS only: the protocol negotiated ('TLSv1.3'), when the handshake got that far. */
  readonly protocol?: string;
}

interface ExchangeOptions {
  readonly timeoutMs?: number;
  /** Stops reading once the answer is complete enough to judge. */
  readonly enough?: (data: Buffer) => boolean;
}

/**
 * Writes `payload` once `connectEvent` fires and collects what comes back until `enough`, the
 * peer closes, an error, or the time is up. `describe` adds what the socket knows at the end.
 */
function exchange<S extends Socket>(
  socket: S,
  connectEvent: 'connect' | 'secureConnect',
  payload: Buffer | string,
  o: ExchangeOptions,
  describe: (s: S) => Partial<Exchange> = () => ({}),
): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let connected = false;
    let done = false;
    const finish = (error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const extra = describe(socket);
      socket.destroy();
      resolve({ connected, data: Buffer.concat(chunks), ...(error ? { error } : {}), ...extra });
    };
    const timer = setTimeout(() => finish(connected ? undefined : 'ETIMEDOUT'), o.timeoutMs ?? 3_000);
    socket.once(connectEvent, () => {
      connected = true;
      socket.write(payload);
    });
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (o.enough?.(Buffer.concat(chunks))) finish();
    });
    socket.once('end', () => finish());
    socket.once('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
  });
}

/** Writes `payload` on a plain TCP connection and collects what comes back until `enough`, the peer closes, or the time is up. */
export function tcpExchange(host: string, port: number, payload: Buffer | string, o: ExchangeOptions = {}): Promise<Exchange> {
  return exchange(netConnect({ host, port }), 'connect', payload, o);
}

/**
 * A TLS handshake with `options` (certificates are not verified: the question is what the server
 * accepts, not who it is), then `payload`, collecting the answer as tcpExchange does. With TLS 1.3
 * the client sees the handshake finish before the server judges its certificate; a refusal then
 * arrives as an alert on the first read, which is why the answer, not the handshake, decides.
 */
export function tlsExchange(host: string, port: number, payload: string, options: ConnectionOptions, o: ExchangeOptions = {}): Promise<Exchange> {
  return exchange(
    tlsConnect({ host, port, rejectUnauthorized: false, servername: undefined, ...options }),
    'secureConnect',
    payload,
    o,
    (socket: TLSSocket) => {
      const protocol = socket.getProtocol() ?? undefined;
      return protocol ? { protocol } : {};
    },
  );
}

/** An HTTP/1.1 request as bytes, closing the connection after the answer. */
export const httpRequestBytes = (path: string, host: string, checkId: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: crucible\r\nX-Crucible-Check: ${checkId}\r\nConnection: close\r\n\r\n`;

/** The status of an HTTP answer's first line, or 0 when the bytes are not HTTP. */
export const httpStatusOf = (data: Buffer): number => Number(/^HTTP\/1\.[01] (\d{3})/.exec(data.toString('latin1'))?.[1] ?? 0);
