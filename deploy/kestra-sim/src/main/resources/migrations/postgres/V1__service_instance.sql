-- One row per running service (executor, worker, ...), as Kestra's service_instance:
-- the JSONB value holds id, type, state, server, config, createdAt, updatedAt.
CREATE TABLE service_instance (
    "key" VARCHAR(250) NOT NULL PRIMARY KEY,
    "value" JSONB NOT NULL,
    service_type VARCHAR(36) GENERATED ALWAYS AS ("value" ->> 'type') STORED,
    state VARCHAR(36) GENERATED ALWAYS AS ("value" ->> 'state') STORED,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX service_instance_state ON service_instance (state);
