-- The outbox relay (shared with registry-service) reads an optional destination topic per row;
-- issuance-service writes none, so every event goes to its channel's topic as before.
ALTER TABLE outbox_event ADD COLUMN destination varchar(249);
