-- Charity sales (爱心特卖): donated goods sold in the live room, the proceeds going to a fund.
-- (And an idempotency key for posting a red wish, at the end.)
-- An order is a pledge with target_kind 'sale' (its reference, idempotency and payment as any
-- pledge's), beside a sale_orders row for what was bought. Proceeds are not gifts: their ledger
-- entries have kinds of their own (sale, sale_expire, sale_payment, sale_refund) and columns of
-- their own in the totals.

CREATE TABLE sale_items (
  id          bigserial PRIMARY KEY,
  title       text NOT NULL,
  description text NOT NULL DEFAULT '',
  donated_by  text NOT NULL DEFAULT '',    -- who gave the item, shown as given
  photo_file  text NOT NULL DEFAULT '',    -- under DATA_DIR/proofs, served at /proofs/
  price_fen   bigint NOT NULL CHECK (price_fen > 0),
  quantity    integer NOT NULL CHECK (quantity > 0),
  -- Neither reserved by an unpaid order nor sold: what a buyer can still take. Every order
  -- takes from it under the item's row lock, so it can never go below zero.
  available   integer NOT NULL CHECK (available >= 0 AND available <= quantity),
  per_buyer   integer NOT NULL DEFAULT 0 CHECK (per_buyer >= 0),  -- 0: no limit
  fund_id     bigint NOT NULL REFERENCES funds (id),
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'withdrawn')),
  created_by  text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sale_orders (
  pledge_id  bigint PRIMARY KEY REFERENCES pledges (id),
  item_id    bigint NOT NULL REFERENCES sale_items (id),
  quantity   integer NOT NULL CHECK (quantity > 0),
  buyer_key  text NOT NULL,  -- the contact without spaces or case: the per-buyer limit's key
  expires_at timestamptz NOT NULL,
  stage      text NOT NULL DEFAULT 'awaiting_payment'
             CHECK (stage IN ('awaiting_payment', 'to_fulfil', 'picked_up', 'delivered',
                              'expired')),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sale_orders_unpaid ON sale_orders (expires_at) WHERE stage = 'awaiting_payment';
CREATE INDEX sale_orders_buyer ON sale_orders (item_id, buyer_key);

-- A phone that posts a wish and loses the answer sends it again with the same key: one wish.
ALTER TABLE wishes ADD COLUMN idempotency_key text UNIQUE;

ALTER TABLE ledger_totals
  ADD COLUMN sold_fen           bigint NOT NULL DEFAULT 0,
  ADD COLUMN sale_cancelled_fen bigint NOT NULL DEFAULT 0,
  ADD COLUMN sale_received_fen  bigint NOT NULL DEFAULT 0,
  ADD COLUMN sale_refunded_fen  bigint NOT NULL DEFAULT 0,
  ADD COLUMN sale_count         bigint NOT NULL DEFAULT 0;
