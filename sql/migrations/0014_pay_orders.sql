-- Provider orders (issue #19): the WeChat Pay or Alipay order the station creates for a pledge,
-- a sale order or a wish gift, whose out_trade_no is the pledge's reference. One order per
-- (reference, provider), with the amount taken from our records when it was made: a retry, from
-- any node, answers the same order and never makes a second with another amount.
CREATE TABLE pay_orders (
  id              bigserial PRIMARY KEY,
  pledge_id       bigint NOT NULL REFERENCES pledges (id),
  reference       text NOT NULL,
  provider        text NOT NULL CHECK (provider IN ('wechat', 'alipay')),
  -- how the donor pays: native (a QR of code_url), h5 (a phone browser goes to h5_url), jsapi
  -- (inside WeChat, prepay_id), precreate (Alipay's QR of code_url), wap (Alipay's page, h5_url)
  method          text NOT NULL
                  CHECK (method IN ('native', 'h5', 'jsapi', 'precreate', 'wap')),
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  -- created: the provider has it, no money yet; paid: a payment came (a notice or a query);
  -- closed: closed at the provider (the pledge was cancelled, expired, or paid another way);
  -- failed: the provider refused to make it (detail says why; the next request tries again)
  status          text NOT NULL DEFAULT 'created'
                  CHECK (status IN ('created', 'paid', 'closed', 'failed')),
  code_url        text NOT NULL DEFAULT '',
  h5_url          text NOT NULL DEFAULT '',
  prepay_id       text NOT NULL DEFAULT '',
  openid          text NOT NULL DEFAULT '',
  detail          text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  last_queried_at timestamptz,
  queries         integer NOT NULL DEFAULT 0,
  UNIQUE (reference, provider)
);
-- The poller's work: orders still waiting, oldest first.
CREATE INDEX pay_orders_open ON pay_orders (created_at) WHERE status = 'created';

-- What the poller learns by querying an order is kept like a notice, by the route 'query', so a
-- notice that comes later for the same transaction and state is a repeat.
ALTER TABLE payment_notices DROP CONSTRAINT payment_notices_via_check;
ALTER TABLE payment_notices ADD CONSTRAINT payment_notices_via_check
  CHECK (via IN ('wechat', 'alipay', 'generic', 'query'));
