import type { Duration } from './duration.ts';

/**
 * A steady-state probe (a discriminated union on `type`), sampled at a fixed interval from before
 * the first fault until the platform has recovered. A sample is good or bad; a window (the
 * hypothesis' `window`) is good when every probe's samples in it are good.
 */
export type ProbeSpec =
  /** An HTTP request through the target's base URL; good when the status is expected and it answered within the timeout. */
  | {
      readonly type: 'http';
      readonly name: string;
      readonly path: string;
      /** Count its samples in availability. @default true */
      readonly availability?: boolean;
      /** A status or an inclusive [min, max] range. @default [200, 399] */
      readonly expectStatus?: number | readonly [number, number];
      /** @default '1s' */
      readonly timeout?: Duration;
      /** @default '250ms' */
      readonly every?: Duration;
    }
  /** A PromQL instant query; good when the (first) value is within the tolerance. No value is bad unless `absentOk`. */
  | {
      readonly type: 'promql';
      readonly name: string;
      readonly query: string;
      /** Count its samples in availability; false for a latency objective (it judges the steady state only). @default true */
      readonly availability?: boolean;
      readonly tolerance: { readonly min?: number; readonly max?: number };
      /** No value at all counts as good. @default false */
      readonly absentOk?: boolean;
      /** Each query times out after the shorter of this and 2 s. @default '1s' */
      readonly every?: Duration;
    }
  /** A datastore answers directly (PostgreSQL `SELECT 1`; Redis Cluster `cluster_state:ok`). */
  | {
      readonly type: 'datastore';
      readonly name: string;
      readonly store: 'postgres' | 'redis';
      /** @default '1s' */
      readonly every?: Duration;
      /** @default '1s' */
      readonly timeout?: Duration;
      /** Count its samples in availability. @default true */
      readonly availability?: boolean;
    }
  /** A user journey in Chromium through the web UI (log in, browse, order): user-perceived availability. */
  | {
      readonly type: 'browser';
      readonly name: string;
      readonly journey: 'shop';
      /** @default '5s' */
      readonly every?: Duration;
      /** @default '15s' */
      readonly timeout?: Duration;
      /** Count its samples in availability. @default true */
      readonly availability?: boolean;
    };

export type ProbeType = ProbeSpec['type'];
