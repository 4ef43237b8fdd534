-- The donation ledger: campaigns and funds, pledges, payments, receipts, refunds, expenditures,
-- the append-only hash-chained ledger, running totals, and the outbox of domain events.
-- Money is bigint fen everywhere.

CREATE TABLE funds (
  id          bigserial PRIMARY KEY,
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE campaigns (
  id              bigserial PRIMARY KEY,
  slug            text NOT NULL UNIQUE,
  title           text NOT NULL,
  goal_fen        bigint NOT NULL CHECK (goal_fen >= 0),
  starts_at       timestamptz,
  ends_at         timestamptz,
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'closed')),
  default_fund_id bigint NOT NULL REFERENCES funds (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- The funds a campaign offers donors; the default fund is always one of them.
CREATE TABLE campaign_funds (
  campaign_id bigint NOT NULL REFERENCES campaigns (id),
  fund_id     bigint NOT NULL REFERENCES funds (id),
  PRIMARY KEY (campaign_id, fund_id)
);

-- campaign_id and fund_id are checked by the batch writer in the pledge's own transaction
-- (campaigns and funds are never deleted). They are not foreign keys: those take a share lock on
-- the one live campaign's row for every pledge, which halved batch throughput when measured.
CREATE TABLE pledges (
  id              bigserial PRIMARY KEY,
  reference       text NOT NULL UNIQUE,
  campaign_id     bigint NOT NULL,
  fund_id         bigint NOT NULL,
  target_kind     text,
  target_id       bigint,
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  paid_fen        bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  refunded_fen    bigint NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
  donor_name      text NOT NULL DEFAULT '',
  anonymous       boolean NOT NULL DEFAULT false,
  contact         text NOT NULL DEFAULT '',
  message         text NOT NULL DEFAULT '',
  channel         text NOT NULL CHECK (channel IN ('live', 'online', 'desk')),
  status          text NOT NULL DEFAULT 'pledged'
                  CHECK (status IN ('pledged', 'part_paid', 'paid', 'reconciled', 'cancelled',
                                    'expired', 'refunded')),
  idempotency_key text NOT NULL UNIQUE,
  request_digest  text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  paid_at         timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pledges_campaign ON pledges (campaign_id, created_at);

CREATE TABLE payments (
  id              bigserial PRIMARY KEY,
  provider        text NOT NULL CHECK (provider IN ('wechat', 'alipay', 'bank', 'cash')),
  provider_txn_id text NOT NULL,
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  fee_fen         bigint NOT NULL DEFAULT 0 CHECK (fee_fen >= 0),
  paid_at         timestamptz NOT NULL,
  pledge_id       bigint REFERENCES pledges (id),
  payer_remark    text NOT NULL DEFAULT '',
  raw_notice      text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, provider_txn_id)
);
CREATE INDEX payments_pledge ON payments (pledge_id);

-- Gapless receipt numbers per year: the counter row is locked by the paying transaction, so a
-- rolled-back payment gives its number back and concurrent payments queue for the next one.
CREATE TABLE receipt_counters (
  year        integer PRIMARY KEY,
  last_number integer NOT NULL
);

CREATE TABLE receipts (
  id          bigserial PRIMARY KEY,
  year        integer NOT NULL,
  number      integer NOT NULL,
  pledge_id   bigint NOT NULL UNIQUE REFERENCES pledges (id),
  amount_fen  bigint NOT NULL,
  status      text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'reduced', 'void')),
  note        text NOT NULL DEFAULT '',
  issued_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (year, number)
);

CREATE TABLE refunds (
  id          bigserial PRIMARY KEY,
  pledge_id   bigint NOT NULL REFERENCES pledges (id),
  amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE expenditures (
  id           bigserial PRIMARY KEY,
  fund_id      bigint NOT NULL REFERENCES funds (id),
  campaign_id  bigint REFERENCES campaigns (id),
  amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
  purpose      text NOT NULL,
  payee        text NOT NULL,
  approved_by  text NOT NULL,
  evidence_ref text NOT NULL DEFAULT '',
  spent_at     timestamptz NOT NULL DEFAULT now(),
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- The ledger: one row per change of money state, chained by SHA-256 (computed by boai with
-- OpenSSL over a canonical encoding, see donations/ledger_hash.cpp).
-- The ids are not foreign keys on purpose: the entries are checked by their hash chain, and a
-- foreign key costs a row lock on the campaign, fund and pledge for every entry written.
CREATE TABLE ledger_entries (
  seq          bigint PRIMARY KEY,
  kind         text NOT NULL,
  recorded_us  bigint NOT NULL,  -- microseconds since 1970 UTC, exactly as hashed
  campaign_id  bigint,
  fund_id      bigint NOT NULL,
  pledge_id    bigint,
  payment_id   bigint,
  object_id    bigint,           -- the refund, expenditure or correction this entry records
  amount_fen   bigint NOT NULL,  -- signed: what this entry adds to its column of the totals
  public_name  text NOT NULL,    -- masked donor or payee as the public sees it
  reference    text NOT NULL,
  memo         text NOT NULL,
  prev_hash    text NOT NULL,
  entry_hash   text NOT NULL UNIQUE
);

-- One row: the chain's head. Appending locks it, which orders all appends.
CREATE TABLE ledger_head (
  id        boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_seq  bigint NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO ledger_head (last_seq, last_hash) VALUES (0, repeat('0', 64));

CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER ledger_no_update BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();

-- Running totals per campaign and fund, kept in the same transaction as the entries.
CREATE TABLE ledger_totals (
  campaign_id  bigint NOT NULL DEFAULT 0,  -- 0: money not tied to a campaign
  fund_id      bigint NOT NULL REFERENCES funds (id),
  pledged_fen  bigint NOT NULL DEFAULT 0,
  cancelled_fen bigint NOT NULL DEFAULT 0,
  received_fen bigint NOT NULL DEFAULT 0,
  refunded_fen bigint NOT NULL DEFAULT 0,
  spent_fen    bigint NOT NULL DEFAULT 0,
  pledge_count bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, fund_id)
);

-- Domain events, written in the same transaction as the change and relayed with NOTIFY after
-- commit; payloads carry ids only.
CREATE TABLE outbox (
  id         bigserial PRIMARY KEY,
  topic      text NOT NULL,
  payload    text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  relayed_at timestamptz
);
CREATE INDEX outbox_unrelayed ON outbox (id) WHERE relayed_at IS NULL;

-- The station's general fund: where money goes that no donor directed, and where a payment that
-- matches no pledge waits until finance matches it.
INSERT INTO funds (slug, name, description)
VALUES ('general', '博爱救助金', 'General relief fund of the station');
