-- Bounded growth: the tables that grow with traffic are pruned by age (RetentionJob), and a step
-- keeps what lets PROGRESS acks go without the message log and without an event each.

-- the agent's own time of the last ACCEPTED or PROGRESS ack applied to the step: an ack no newer
-- than it is a replay or came out of order (PROGRESS acks are not in processed_message)
ALTER TABLE upgrade_step ADD COLUMN last_ack_at timestamptz;
-- the last step.progress event published for the step ({at, inFlightTasks, message}): the next
-- one is published when what the agent says changes, or once the interval has passed
ALTER TABLE upgrade_step ADD COLUMN last_progress_event jsonb;

-- the retention job's look-ups, in small batches: sent outbox rows by age, progress events by age
-- (transitions are kept forever, so the index holds only progress events)
CREATE INDEX outbox_sent_by_age ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX upgrade_event_progress_by_age ON upgrade_event (at)
    WHERE type = 'io.kestra.upgrade.step.progress';
