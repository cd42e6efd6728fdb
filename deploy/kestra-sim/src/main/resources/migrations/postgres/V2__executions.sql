CREATE TABLE executions (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    namespace VARCHAR(150) NOT NULL,
    flow_id VARCHAR(150) NOT NULL,
    task_duration_ms BIGINT NOT NULL,
    state VARCHAR(16) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    completed_at TIMESTAMPTZ
);

CREATE INDEX executions_state ON executions (state);
CREATE INDEX executions_created_at ON executions (created_at);
