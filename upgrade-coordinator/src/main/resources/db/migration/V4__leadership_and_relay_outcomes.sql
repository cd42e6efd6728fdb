-- Leadership and the relay's outcomes.

-- The leader's epoch: bumped by each new leader in the session that holds the advisory lock, and
-- read FOR SHARE by every leader-only transaction (relay, sweep), which aborts when the epoch is no
-- longer its own. A leader that resumes from a freeze therefore cannot write once a new leader has
-- been elected, and the new leader's bump waits for the old leader's transaction in flight.
CREATE TABLE leader_epoch (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    epoch       bigint      NOT NULL,
    holder      text,
    elected_at  timestamptz
);

INSERT INTO leader_epoch (id, epoch) VALUES (1, 0);

-- What the relay needs to judge a row without decoding it: the upgrade it belongs to (a command of
-- an upgrade that has ended is not sent) and, for a command, its expiresAt (an expired command is
-- not sent either). Rows written before this migration have neither and are sent as before.
ALTER TABLE outbox
    ADD COLUMN upgrade_id  uuid,
    ADD COLUMN expires_at  timestamptz,
    -- the broker refused the row for good (too large, invalid topic, ...): never sent, with why
    ADD COLUMN failed_at   timestamptz,
    -- not sent on purpose: its upgrade had ended, or it expired, before it could be
    ADD COLUMN dropped_at  timestamptz,
    ADD COLUMN reason      text;

-- The rows the relay still has to publish, in id order.
DROP INDEX outbox_unsent;
CREATE INDEX outbox_pending ON outbox (id)
    WHERE sent_at IS NULL AND failed_at IS NULL AND dropped_at IS NULL;
