-- Rooms leave large unpaid pledges out of the totals they show (donations/held_pledges.hpp) and
-- read them at every ledger change: only the open pledges, which payment or expiry soon closes.
CREATE INDEX pledges_open ON pledges (campaign_id, amount_fen) WHERE status IN ('pledged', 'part_paid');
