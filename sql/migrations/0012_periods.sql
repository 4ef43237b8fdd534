-- Closed periods (issue #12): a day or a month of Asia/Shanghai whose books are final. Nothing in
-- a closed period changes: the trigger below refuses a ledger entry whose recorded_us falls
-- inside one, whatever code writes it, and the writers that take a date from a person refuse such
-- a date (donations/periods.cpp). A mistake found later is a correction entry in an open period.
CREATE TABLE accounting_periods (
  period     text PRIMARY KEY,  -- '2026-11-30' (a day) or '2026-11' (a month)
  kind       text NOT NULL CHECK (kind IN ('day', 'month')),
  starts_us  bigint NOT NULL,   -- its first microsecond, since 1970 UTC, as recorded_us
  ends_us    bigint NOT NULL,   -- the first microsecond after it
  closed_by  text NOT NULL,     -- the staff member signed in (or the operator's --by)
  closed_at  timestamptz NOT NULL DEFAULT now(),
  closed_seq bigint NOT NULL,   -- the ledger's last seq when it was closed
  figures    jsonb NOT NULL,    -- the reconciliation report's totals at the close
  CHECK (ends_us > starts_us)
);
CREATE INDEX accounting_periods_ends ON accounting_periods (ends_us);

-- One check per INSERT statement, not per row: a pledge batch of hundreds of entries costs one
-- index probe, which finds nothing in the normal case (entries are appended at now, and only
-- periods that have ended are closed).
CREATE FUNCTION ledger_period_is_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  closed text;
BEGIN
  SELECT p.period INTO closed FROM accounting_periods p
  WHERE p.ends_us > (SELECT min(n.recorded_us) FROM new_entries n)
    AND EXISTS (SELECT 1 FROM new_entries n
                WHERE n.recorded_us >= p.starts_us AND n.recorded_us < p.ends_us)
  ORDER BY p.kind DESC, p.period
  LIMIT 1;
  IF closed IS NOT NULL THEN
    -- BP001 is ours: sql/connection.cpp maps it to the stable code period_closed.
    RAISE EXCEPTION '% is closed: record a correction in an open period', closed
      USING ERRCODE = 'BP001';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_period_closed AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_period_is_open();

-- Reports read a period's entries by their booking time.
CREATE INDEX ledger_entries_recorded ON ledger_entries (recorded_us);

-- A correction of a period's books, booked as a correction_received or correction_spent entry in
-- the open period when it was made (the entry's object is this row).
CREATE TABLE corrections (
  id          bigserial PRIMARY KEY,
  period      text NOT NULL,  -- the period it corrects
  kind        text NOT NULL CHECK (kind IN ('correction_received', 'correction_spent')),
  fund_id     bigint NOT NULL REFERENCES funds (id),
  campaign_id bigint REFERENCES campaigns (id),
  amount_fen  bigint NOT NULL CHECK (amount_fen <> 0),  -- signed
  reason      text NOT NULL,
  recorded_by text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
