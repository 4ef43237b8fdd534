-- Red wishes (红心愿): small needs residents post in the live room, vetted by staff, funded by
-- viewers' pledges and fulfilled by spending from the wishes' fund.

-- Where gifts to wishes go, unless a wish names another fund.
INSERT INTO funds (slug, name, description)
VALUES ('wishes', '红心愿基金', 'Gifts to residents'' red wishes');

CREATE TABLE wishes (
  id             bigserial PRIMARY KEY,
  campaign_id    bigint NOT NULL REFERENCES campaigns (id),  -- the room it was posted in
  fund_id        bigint NOT NULL REFERENCES funds (id),      -- where its gifts go
  title          text NOT NULL,
  story          text NOT NULL,
  category       text NOT NULL CHECK (category IN ('study', 'health', 'elderly', 'daily', 'other')),
  amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
  pledged_fen    bigint NOT NULL DEFAULT 0 CHECK (pledged_fen >= 0 AND pledged_fen <= amount_fen),
  donor_count    integer NOT NULL DEFAULT 0,
  requester_name text NOT NULL,                -- shown masked
  contact        text NOT NULL,                -- staff only, never sent to a viewer
  status         text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'approved', 'rejected', 'funded', 'fulfilled')),
  reject_reason  text NOT NULL DEFAULT '',
  reviewed_by    text NOT NULL DEFAULT '',
  fulfil_note    text NOT NULL DEFAULT '',
  proof_file     text NOT NULL DEFAULT '',     -- under DATA_DIR/proofs, served at /proofs/
  posted_session text NOT NULL DEFAULT '',
  posted_address text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wishes_by_status ON wishes (status, id);
CREATE INDEX wishes_by_address ON wishes (posted_address, created_at);

-- The gifts to a wish are pledges with target_kind 'wish'; the spending that fulfilled it is an
-- expenditure that names it.
ALTER TABLE expenditures ADD COLUMN wish_id bigint REFERENCES wishes (id);
CREATE INDEX pledges_target ON pledges (target_kind, target_id) WHERE target_kind IS NOT NULL;
