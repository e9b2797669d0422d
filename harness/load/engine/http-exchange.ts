import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { httpErrorKind } from './http-error.ts';

export interface ExchangeResult {
  /** 0 when no response came. */
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** '' when bodies are discarded. */
  readonly body: string;
  readonly bytesReceived: number;
  /** Clock times of the response headers and of the end of the body (or of the error). */
  readonly headersAt: number;
  readonly endAt: number;
  readonly error?: string;
  /** The VU's signal stopped it (the run ended): not a measurement. */
  readonly aborted: boolean;
}

const NO_HEADERS: IncomingHttpHeaders = {};
const EMPTY: Buffer[] = [];

/**
 * One request through undici's dispatch API: no Readable stream per response, which is most of
 * the difference between `request()` and raw sockets in a load generator's hot path. The body is
 * read to its end (kept as text, or only counted when bodies are discarded) so the connection is
 * reused; every failure becomes a status-0 result, never an exception. Subclasses get `settle()`
 * once, with the result.
 */
export abstract class Exchange implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #abortReason: Error | undefined;
  #status = 0;
  #headers = NO_HEADERS;
  #chunks = EMPTY;
  #bytes = 0;
  #headersAt = 0;

  protected abstract now(): number;
  protected abstract keepBody(): boolean;
  protected abstract settle(r: ExchangeResult): void;

  /** Stops the request (the run is over); the result is marked aborted. */
  abort(reason: Error): void {
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Aborted while queued in the pool, before undici handed us a controller.
    if (this.#abortReason) controller.abort(this.#abortReason);
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.#headersAt = this.now();
    this.#status = status;
    this.#headers = headers;
    if (this.keepBody()) this.#chunks = [];
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#bytes += chunk.length;
    if (this.#chunks !== EMPTY) this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.#chunks;
    const body = chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
    this.settle({
      status: this.#status,
      headers: this.#headers,
      body,
      bytesReceived: this.#bytes,
      headersAt: this.#headersAt,
      endAt: this.now(),
      aborted: false,
    });
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    const now = this.now();
    this.settle({
      status: 0,
      headers: NO_HEADERS,
      body: '',
      bytesReceived: this.#bytes,
      headersAt: this.#headersAt || now,
      endAt: now,
      error: this.#abortReason ? 'aborted' : httpErrorKind(err),
      aborted: this.#abortReason !== undefined,
    });
  }
}
