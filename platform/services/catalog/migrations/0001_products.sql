-- Products are created only by the seed (ids come from fixtures/catalog.ts), hence no sequence.
CREATE TABLE catalog.products (
  id          integer PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text NOT NULL,
  category    text NOT NULL,
  price       numeric(10, 2) NOT NULL CHECK (price >= 0),
  stock       integer NOT NULL CHECK (stock >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- Stored rather than an expression index: when the planner walks the primary key for
  -- "ORDER BY id LIMIT n" it re-checks the filter on every row, and recomputing to_tsvector
  -- there cost 20-100 ms per page; reading the stored vector costs microseconds.
  search      tsvector GENERATED ALWAYS AS (to_tsvector('english', name || ' ' || description)) STORED
);

-- Keyset pages within a category: WHERE category = $1 AND id > $2 ORDER BY id LIMIT n.
CREATE INDEX products_category_id_idx ON catalog.products (category, id);

-- Full-text search for ?q=.
CREATE INDEX products_search_idx ON catalog.products USING gin (search);
