-- Working the exception queue (issue #12): one queue for what notices and statements could not
-- settle by themselves, resolved at the desk with a reason, and write-offs beside refunds among
-- what a second finance member must approve. See docs/FINANCE.md "Resolving exceptions".

-- A notice the desk must look at is an exception like a statement line's: it names the notice.
ALTER TABLE reconcile_exceptions
  ADD COLUMN notice_id bigint REFERENCES payment_notices (id),
  ADD COLUMN action text CHECK (action IN ('assign', 'keep', 'accept', 'write_off', 'refund',
                                           'dismiss'));
CREATE UNIQUE INDEX reconcile_exceptions_notice ON reconcile_exceptions (notice_id)
  WHERE notice_id IS NOT NULL;

-- The notices already waiting, brought into the queue: a reference nobody has, or a pledge that
-- can take no money, is money without its pledge; another amount, or a transaction recorded
-- before with another amount, is an amount that differs.
INSERT INTO reconcile_exceptions (kind, notice_id, pledge_id, expected_fen, actual_fen, detail,
                                  created_at)
SELECT CASE WHEN n.outcome IN ('unknown_reference', 'not_payable') THEN 'payment_without_pledge'
            ELSE 'amount_differs' END,
       n.id, p.id, p.amount_fen - p.paid_fen, n.amount_fen, n.outcome_detail, n.first_received_at
FROM payment_notices n
LEFT JOIN pledges p ON p.reference = n.reference AND n.reference <> ''
WHERE n.outcome IN ('unknown_reference', 'amount_differs', 'not_payable', 'conflict');

-- A write-off gives up what a pledge will never pay (the pledge is cancelled); like a refund,
-- above the desk's limit it waits for a second member. A request made from the queue names its
-- exception, which is resolved in the same transaction as the approval.
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_kind_check;
ALTER TABLE approval_requests
  ADD CONSTRAINT approval_requests_kind_check CHECK (kind IN ('refund', 'write_off')),
  ADD COLUMN exception_id bigint REFERENCES reconcile_exceptions (id);
