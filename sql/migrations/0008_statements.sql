-- Statements pulled from WeChat Pay, Alipay and the bank: each line kept once per provider
-- transaction, matched against payments and pledges, and the exceptions finance staff work
-- through (with room for who proposes, approves and resolves, and the ledger entry that records
-- it). Money is bigint fen. See docs/FINANCE.md "Statements".

-- A bank's CSV layout: the columns that hold the date, money in, the payer and the remark.
CREATE TABLE bank_profiles (
  name                text PRIMARY KEY,
  date_column         text NOT NULL,
  amount_column       text NOT NULL,
  counterparty_column text NOT NULL,
  remark_column       text NOT NULL,
  txn_column          text NOT NULL DEFAULT '',
  encoding            text NOT NULL DEFAULT 'utf-8' CHECK (encoding IN ('utf-8', 'gbk')),
  skip_lines          integer NOT NULL DEFAULT 0 CHECK (skip_lines BETWEEN 0 AND 100),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE statement_imports (
  id           bigserial PRIMARY KEY,
  provider     text NOT NULL CHECK (provider IN ('wechat', 'alipay', 'bank')),
  bank_profile text NOT NULL DEFAULT '',
  file_name    text NOT NULL,
  rows_read    bigint NOT NULL DEFAULT 0,
  new_lines    bigint NOT NULL DEFAULT 0,
  matched      bigint NOT NULL DEFAULT 0,
  exceptions   bigint NOT NULL DEFAULT 0,
  skipped      bigint NOT NULL DEFAULT 0,
  imported_by  text NOT NULL DEFAULT '',
  imported_at  timestamptz NOT NULL DEFAULT now()
);

-- One line of a statement. import_id, pledge_id and payment_id are not foreign keys: a million
-- lines go in with one INSERT, and a key would check each (the ledger's tables do the same).
-- post_as says what posting does with a line that proves money arrived and is no payment yet:
-- record_payment for its pledge, or kept unmatched in the general fund; payment_id is set once
-- it is a payment.
CREATE TABLE statement_lines (
  id              bigserial PRIMARY KEY,
  import_id       bigint NOT NULL,
  provider        text NOT NULL CHECK (provider IN ('wechat', 'alipay', 'bank')),
  txn_id          text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('payment', 'refund')),
  line_no         bigint NOT NULL,
  occurred_at     timestamptz NOT NULL,
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  fee_fen         bigint NOT NULL DEFAULT 0 CHECK (fee_fen >= 0),
  reference       text NOT NULL DEFAULT '',
  original_txn_id text NOT NULL DEFAULT '',
  counterparty    text NOT NULL DEFAULT '',
  remark          text NOT NULL DEFAULT '',
  outcome         text NOT NULL CHECK (outcome IN ('matched', 'amount_differs',
                                                   'payment_without_pledge',
                                                   'duplicate_payment', 'refund')),
  match_method    text NOT NULL DEFAULT ''
                  CHECK (match_method IN ('', 'txn_id', 'reference', 'remark', 'original_txn')),
  pledge_id       bigint,
  expected_fen    bigint,
  detail          text NOT NULL DEFAULT '',
  post_as         text NOT NULL DEFAULT 'none' CHECK (post_as IN ('none', 'pledge', 'unmatched')),
  payment_id      bigint,
  UNIQUE (provider, txn_id)
);
CREATE INDEX statement_lines_to_post ON statement_lines (id)
  WHERE post_as <> 'none' AND payment_id IS NULL;

-- What staff must look at. A line's exception names the line; an overdue pledge's names the
-- pledge alone. The proposal, approval and resolution columns are for the desk: the one who
-- approves is never the one who proposed, and a resolution names its ledger entry.
CREATE TABLE reconcile_exceptions (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('amount_differs', 'pledge_without_payment',
                                             'payment_without_pledge', 'duplicate_payment',
                                             'refund')),
  line_id      bigint REFERENCES statement_lines (id),
  pledge_id    bigint REFERENCES pledges (id),
  expected_fen bigint,
  actual_fen   bigint,
  detail       text NOT NULL DEFAULT '',
  status       text NOT NULL DEFAULT 'open'
               CHECK (status IN ('open', 'proposed', 'approved', 'resolved')),
  proposed_by  text,
  proposed_at  timestamptz,
  proposal     text,
  approved_by  text,
  approved_at  timestamptz,
  resolved_by  text,
  resolved_at  timestamptz,
  resolution   text,
  ledger_seq   bigint,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (approved_by IS NULL OR approved_by <> proposed_by)
);
CREATE UNIQUE INDEX reconcile_exceptions_line ON reconcile_exceptions (line_id, kind)
  WHERE line_id IS NOT NULL;
CREATE UNIQUE INDEX reconcile_exceptions_overdue ON reconcile_exceptions (pledge_id)
  WHERE kind = 'pledge_without_payment' AND status <> 'resolved';
CREATE INDEX reconcile_exceptions_open ON reconcile_exceptions (kind, id)
  WHERE status <> 'resolved';

-- Pledges a payment without a reference may belong to, best first (scores in thousandths).
CREATE TABLE reconcile_candidates (
  exception_id   bigint NOT NULL REFERENCES reconcile_exceptions (id),
  pledge_id      bigint NOT NULL REFERENCES pledges (id),
  score          integer NOT NULL,
  amount_penalty integer NOT NULL,
  date_penalty   integer NOT NULL,
  name_penalty   integer NOT NULL,
  PRIMARY KEY (exception_id, pledge_id)
);

-- Candidates are searched among the pledges still waiting for money, by amount and time.
CREATE INDEX pledges_open_by_amount ON pledges (amount_fen, created_at)
  WHERE status IN ('pledged', 'part_paid');
