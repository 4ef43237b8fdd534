-- Two people for money going back: a refund above the desk's limit is proposed by one finance
-- member and carried out only when another approves it. The refund itself is written in the same
-- transaction as the approval, so a request is never approved without its refund, or twice.
CREATE TABLE approval_requests (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('refund')),
  reference   text NOT NULL,  -- the pledge's
  amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
  reason      text NOT NULL,
  proposed_by text NOT NULL,  -- staff names, as signed in
  proposed_at timestamptz NOT NULL DEFAULT now(),
  status      text NOT NULL DEFAULT 'proposed'
              CHECK (status IN ('proposed', 'approved', 'rejected')),
  decided_by  text,
  decided_at  timestamptz,
  note        text NOT NULL DEFAULT '',
  CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE INDEX approval_requests_open ON approval_requests (id) WHERE status = 'proposed';
