-- Open books (issue #13): signed checkpoints of the ledger's head, and the totals per month that
-- the public disclosure reads without scanning the ledger.

-- A checkpoint is the head (seq, hash) at a moment, signed with the station's Ed25519 key
-- (openbooks/ledger_key.cpp). Published at /api/ledger/checkpoints and in the export, so copies
-- live outside this database; append-only like the ledger itself.
CREATE TABLE ledger_checkpoints (
  seq        bigint PRIMARY KEY,  -- the entry it commits to (and the ledger's length then)
  head_hash  text NOT NULL,
  at_us      bigint NOT NULL,     -- when it was signed, microseconds since 1970 UTC
  key_id     text NOT NULL,       -- the first 16 hex digits of SHA-256 of the public key
  signature  text NOT NULL        -- base64 Ed25519 over the text docs/LEDGER.md gives
);
CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();

-- ledger_totals again, per month of Asia/Shanghai ('2026-11'): kept by the appender in the same
-- transaction as the entries (donations/ledger_appender.cpp).
CREATE TABLE ledger_month_totals (
  month              text NOT NULL,
  campaign_id        bigint NOT NULL DEFAULT 0,
  fund_id            bigint NOT NULL REFERENCES funds (id),
  pledged_fen        bigint NOT NULL DEFAULT 0,
  cancelled_fen      bigint NOT NULL DEFAULT 0,
  received_fen       bigint NOT NULL DEFAULT 0,
  refunded_fen       bigint NOT NULL DEFAULT 0,
  spent_fen          bigint NOT NULL DEFAULT 0,
  pledge_count       bigint NOT NULL DEFAULT 0,
  sold_fen           bigint NOT NULL DEFAULT 0,
  sale_cancelled_fen bigint NOT NULL DEFAULT 0,
  sale_received_fen  bigint NOT NULL DEFAULT 0,
  sale_refunded_fen  bigint NOT NULL DEFAULT 0,
  sale_count         bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (month, campaign_id, fund_id)
);

-- The entries written before this migration, by the same columns as donations/totals_columns.cpp.
INSERT INTO ledger_month_totals
SELECT to_char(to_timestamp(recorded_us / 1000000.0) AT TIME ZONE 'UTC' + interval '8 hours',
               'YYYY-MM'),
       coalesce(campaign_id, 0), fund_id,
       coalesce(sum(amount_fen) FILTER (WHERE kind = 'pledge'), 0),
       coalesce(sum(amount_fen) FILTER (WHERE kind IN ('cancel', 'expire')), 0),
       coalesce(sum(amount_fen) FILTER (WHERE kind IN ('payment', 'correction_received')), 0),
       coalesce(sum(amount_fen) FILTER (WHERE kind = 'refund'), 0),
       coalesce(sum(amount_fen) FILTER (WHERE kind IN ('expenditure', 'correction_spent')), 0),
       count(*) FILTER (WHERE kind = 'pledge'),
       coalesce(sum(amount_fen) FILTER (WHERE kind = 'sale'), 0),
       coalesce(sum(amount_fen) FILTER (WHERE kind IN ('sale_expire', 'sale_cancel')), 0),
       coalesce(sum(amount_fen) FILTER (WHERE kind = 'sale_payment'), 0),
       coalesce(sum(amount_fen) FILTER (WHERE kind = 'sale_refund'), 0),
       count(*) FILTER (WHERE kind = 'sale')
FROM ledger_entries
GROUP BY 1, 2, 3;

-- A donor's gift finds its entries, and an expenditure its entry, without a scan (/api/gift/,
-- /api/ledger/expenditures).
CREATE INDEX ledger_entries_pledge ON ledger_entries (pledge_id) WHERE pledge_id IS NOT NULL;
CREATE INDEX ledger_entries_object ON ledger_entries (object_id) WHERE object_id IS NOT NULL;
CREATE INDEX expenditures_wish ON expenditures (wish_id) WHERE wish_id IS NOT NULL;
