-- The host each delivery goes to (WebhookHost.Of of its URL), so a claim can leave out busy hosts.
-- Rows queued before this version keep '' and are claimed as any host's.
ALTER TABLE webhook_outbox ADD COLUMN host text NOT NULL DEFAULT '';
