-- The coordinator's state. Flyway owns it: add versioned scripts, never edit a released one.

CREATE TABLE upgrade (
    id            uuid PRIMARY KEY,
    cluster       text        NOT NULL,
    strategy      text        NOT NULL,
    state         text        NOT NULL,
    from_version  text        NOT NULL,
    to_version    text        NOT NULL,
    options       jsonb       NOT NULL,
    backup_id     text,
    reason        text,
    message       text,
    created_at    timestamptz NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz,
    updated_at    timestamptz NOT NULL
);

-- At most one upgrade per cluster that is not over: the database says so, not only the code, so two
-- requests racing each other cannot both start one.
CREATE UNIQUE INDEX upgrade_one_active_per_cluster ON upgrade (cluster)
    WHERE state IN ('PENDING', 'RUNNING', 'PAUSED', 'ROLLING_BACK');

CREATE INDEX upgrade_newest_first ON upgrade (created_at DESC);

CREATE TABLE upgrade_step (
    id                    uuid PRIMARY KEY,
    upgrade_id            uuid        NOT NULL REFERENCES upgrade (id) ON DELETE CASCADE,
    seq                   int         NOT NULL,
    phase                 text        NOT NULL,
    grp                   int         NOT NULL,
    agent_id              text        NOT NULL,
    command_type          text        NOT NULL,
    target_version        text,
    params                jsonb       NOT NULL,
    timeout_ms            bigint      NOT NULL,
    state                 text        NOT NULL,
    command_id            uuid UNIQUE,
    sent_at               timestamptz,
    started_at            timestamptz,
    finished_at           timestamptz,
    deadline_at           timestamptz,
    progress_deadline_at  timestamptz,
    reason                text,
    message               text,
    in_flight_tasks       int,
    observed              jsonb,
    result                jsonb,
    UNIQUE (upgrade_id, seq)
);

-- the periodic sweep looks only at steps whose command is out
CREATE INDEX upgrade_step_in_flight ON upgrade_step (upgrade_id) WHERE state IN ('SENT', 'RUNNING');

CREATE TABLE agent (
    agent_id            text PRIMARY KEY,
    cluster             text        NOT NULL,
    kind                text        NOT NULL,
    instance            text        NOT NULL,
    agent_version       text,
    component_version   text,
    component_state     text        NOT NULL,
    ready               boolean     NOT NULL,
    in_flight_tasks     int         NOT NULL,
    driver              text,
    capabilities        jsonb       NOT NULL,
    current_command_id  text,
    heartbeat_at        timestamptz NOT NULL,
    last_seen_at        timestamptz NOT NULL,
    first_seen_at       timestamptz NOT NULL
);

CREATE INDEX agent_by_cluster ON agent (cluster);

-- Commands and events leave through this table, written in the transaction of the state change that
-- causes them; the relay publishes rows in id order and marks them sent.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    topic       text        NOT NULL,
    msg_key     text        NOT NULL,
    payload     bytea       NOT NULL,
    headers     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz
);

CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- Messages already applied, checked in the transaction that applies one (idempotent consumer).
CREATE TABLE processed_message (
    message_id    text PRIMARY KEY,
    consumer      text        NOT NULL,
    processed_at  timestamptz NOT NULL
);

-- The history of every upgrade's transitions, as published on the events topic.
CREATE TABLE upgrade_event (
    seq         bigserial PRIMARY KEY,
    upgrade_id  uuid        NOT NULL REFERENCES upgrade (id) ON DELETE CASCADE,
    message_id  text        NOT NULL UNIQUE,
    type        text        NOT NULL,
    subject     text,
    data        jsonb       NOT NULL,
    at          timestamptz NOT NULL
);

CREATE INDEX upgrade_event_by_upgrade ON upgrade_event (upgrade_id, seq);
