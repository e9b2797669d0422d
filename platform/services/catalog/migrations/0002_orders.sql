CREATE TABLE catalog.orders (
  id              bigserial PRIMARY KEY,
  user_id         text NOT NULL,
  idempotency_key text NOT NULL,
  -- sha256 of the normalized items: tells a replay (same body) from a reused key (other body).
  request_hash    text NOT NULL,
  status          text NOT NULL CHECK (status IN ('confirmed')),
  total           numeric(12, 2) NOT NULL CHECK (total >= 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- The idempotency guarantee itself: concurrent duplicates serialize on this index.
  CONSTRAINT orders_user_key_unique UNIQUE (user_id, idempotency_key)
);

-- A user's orders, newest first.
CREATE INDEX orders_user_id_idx ON catalog.orders (user_id, id DESC);
-- The data-loss ledger reads orders back by key without knowing the user.
CREATE INDEX orders_idempotency_key_idx ON catalog.orders (idempotency_key);

CREATE TABLE catalog.order_items (
  order_id   bigint NOT NULL REFERENCES catalog.orders (id) ON DELETE CASCADE,
  product_id integer NOT NULL REFERENCES catalog.products (id),
  quantity   integer NOT NULL CHECK (quantity > 0),
  unit_price numeric(10, 2) NOT NULL CHECK (unit_price >= 0),
  PRIMARY KEY (order_id, product_id)
);
