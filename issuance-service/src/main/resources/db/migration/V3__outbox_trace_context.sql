-- The W3C traceparent of the change an event describes (null when tracing is off): the relay sends
-- it as the Kafka header "traceparent" so that consumers continue the same trace.
ALTER TABLE outbox_event ADD COLUMN traceparent varchar(64);
