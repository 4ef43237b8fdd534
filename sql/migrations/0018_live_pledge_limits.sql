-- Live pledges counted per session and per address across connections and nodes, in windows of
-- an hour: reconnecting, or another node, does not start the count again. Rows of past windows
-- go as new ones are counted. Unlogged: after a crash the counts start again, which only lets a
-- few more pledges through.
CREATE UNLOGGED TABLE pledge_quota (
  key          text NOT NULL,         -- 'session:<id>' or 'address:<ip>'
  window_start timestamptz NOT NULL,
  pledges      integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX pledge_quota_window ON pledge_quota (window_start);

-- A host hid the donor's name and message from the room and the video (who, by name). The money,
-- its ledger entries and the totals stay as they are.
ALTER TABLE pledges ADD COLUMN hidden_by text;

-- Whether a room showed a pledge's donation: one above the room's limit that was not paid when
-- made is shown when it is paid in full (app/payment_thanks.cpp asks).
CREATE INDEX room_events_donation ON room_events (room, ((payload::jsonb ->> 'pledge')))
  WHERE type = 'donation';
