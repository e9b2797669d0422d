import { orderBodySchema } from '../../shared/catalog-contract.ts';

/**
 * JSON schemas shared by the REST routes. Every object is closed (additionalProperties: false) and
 * every string bounded, so a request the platform does not understand is a 400 here, not a surprise upstream.
 */

/** Product and order ids: numeric or slug-like; also safe inside cache keys and upstream paths. */
const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
export const ID_REGEX = new RegExp(ID_PATTERN);

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: ID_PATTERN } },
} as const;

export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

/**
 * Search text: letters, digits, spaces and a little punctuation. Injection payloads need quotes or
 * operators (`') OR ('1'='1`, `;`, `$ne`), so they are refused here and recorded as
 * request.rejected, although the catalog binds q as a parameter anyway.
 */
const SEARCH_TEXT_PATTERN = '^[\\p{L}\\p{N}\\s.,&+/-]{1,100}$';

export const productListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', pattern: '^[A-Za-z0-9_=:.-]{1,200}$' },
    category: { type: 'string', minLength: 1, maxLength: 64 },
    q: { type: 'string', minLength: 1, maxLength: 100, pattern: SEARCH_TEXT_PATTERN },
  },
} as const;

/** The sql-injection switch: any search text up to the length limit reaches the catalog. */
export const productListQueryAnyText = {
  ...productListQuery,
  properties: { ...productListQuery.properties, q: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

export const productPatchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 4000 },
    price: { type: 'number', minimum: 0, maximum: 1_000_000 },
    stock: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
  },
} as const;

const orderProductId = {
  anyOf: [
    { type: 'string', pattern: ID_PATTERN },
    { type: 'integer', minimum: 0 },
  ],
} as const;

export const orderBody = orderBodySchema(orderProductId);

/** The mass-assignment switch: an order item may also carry the unitPrice it is charged at. */
export const orderBodyWithPrices = orderBodySchema(orderProductId, { unitPrice: { type: 'number', minimum: 0, maximum: 1_000_000 } } as const);

export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9_.:-]{1,128}$';

export const idempotencyHeaders = {
  type: 'object',
  required: ['idempotency-key'],
  properties: { 'idempotency-key': { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN } },
} as const;

export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

export const refreshBody = {
  type: 'object',
  additionalProperties: false,
  required: ['refreshToken'],
  properties: { refreshToken: { type: 'string', minLength: 1, maxLength: 512 } },
} as const;

export const logoutBody = {
  type: 'object',
  additionalProperties: false,
  properties: { refreshToken: { type: 'string', minLength: 1, maxLength: 512 } },
} as const;
