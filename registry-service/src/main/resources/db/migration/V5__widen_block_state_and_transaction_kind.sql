-- V4 allowed the block state TRANSFERRED_OUT and the transaction kind INTERNATIONAL_TRANSFER but
-- kept the columns at their V2 widths (varchar(10) and varchar(16)): completing an outgoing
-- international transfer failed with "value too long" and its acceptance was retried, then
-- dead-lettered, leaving the units RESERVED for good.
ALTER TABLE credit_block ALTER COLUMN state TYPE varchar(16);
ALTER TABLE registry_transaction ALTER COLUMN kind TYPE varchar(24);
