-- The station's own settings: name, certificate, payment instructions. Later migrations add the
-- ledger, the live room and the studio's records.
CREATE TABLE station_settings (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
