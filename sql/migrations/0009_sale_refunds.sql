-- A paid sale order refunded in whole before it was handed over is `refunded`: its pieces go back
-- on sale and it no longer counts toward its buyer's limit. One handed over keeps its stage (the
-- goods left with the buyer); the pledge's status says it was refunded.
ALTER TABLE sale_orders DROP CONSTRAINT sale_orders_stage_check;
ALTER TABLE sale_orders ADD CONSTRAINT sale_orders_stage_check
  CHECK (stage IN ('awaiting_payment', 'to_fulfil', 'picked_up', 'delivered', 'expired',
                   'refunded'));
