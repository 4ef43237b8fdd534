-- Payment notices (issue #12): every genuine notice a provider pushed (WeChat Pay, Alipay, or a
-- generic HMAC-signed sender), kept as it was received before anything is applied, with what
-- became of it. Forged, stale or malformed notices are refused and never reach this table.
-- A notice is one (provider, transaction, state): a retry of the same notice only counts
-- another delivery; the same transaction's later state (Alipay's TRADE_FINISHED after
-- TRADE_SUCCESS) is a row of its own, and the payment it names is recorded once whatever the
-- number of rows (payments are unique by provider and transaction id).
CREATE TABLE payment_notices (
  id                bigserial PRIMARY KEY,
  via               text NOT NULL CHECK (via IN ('wechat', 'alipay', 'generic')),  -- the route
  provider          text NOT NULL CHECK (provider IN ('wechat', 'alipay', 'bank')),
  provider_txn_id   text NOT NULL,
  trade_state       text NOT NULL,             -- the provider's word: SUCCESS, TRADE_SUCCESS, paid
  paid              boolean NOT NULL,          -- whether that word means the money arrived
  reference         text NOT NULL DEFAULT '',  -- our pledge's reference, as the notice says it
  amount_fen        bigint NOT NULL CHECK (amount_fen > 0),
  paid_at           timestamptz,
  remark            text NOT NULL DEFAULT '',
  raw_headers       text NOT NULL DEFAULT '',  -- the signed headers as received
  raw_body          text NOT NULL,             -- the body as received
  resource          text NOT NULL DEFAULT '',  -- WeChat: the decrypted transaction
  -- received: stored, not yet decided (a crash between the two; the next delivery decides);
  -- applied: a payment (payment_id); not_paid: a state that is not money (kept, not applied);
  -- the exception queue, kept and not applied until finance resolves them: unknown_reference,
  -- amount_differs (not what the pledge still owes), not_payable (cancelled, expired, refunded),
  -- conflict (the transaction was recorded before with another amount).
  outcome           text NOT NULL DEFAULT 'received'
                    CHECK (outcome IN ('received', 'applied', 'not_paid', 'unknown_reference',
                                       'amount_differs', 'not_payable', 'conflict')),
  outcome_detail    text NOT NULL DEFAULT '',
  payment_id        bigint REFERENCES payments (id),
  deliveries        integer NOT NULL DEFAULT 1,
  first_received_at timestamptz NOT NULL DEFAULT now(),
  last_received_at  timestamptz NOT NULL DEFAULT now(),
  decided_at        timestamptz,
  UNIQUE (provider, provider_txn_id, trade_state)
);
CREATE INDEX payment_notices_reference ON payment_notices (reference);
-- The exception queue, oldest first, for the finance desk.
CREATE INDEX payment_notices_exceptions ON payment_notices (first_received_at)
  WHERE outcome IN ('unknown_reference', 'amount_differs', 'not_payable', 'conflict');
