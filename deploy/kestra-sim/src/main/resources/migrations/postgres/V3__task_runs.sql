CREATE TABLE task_runs (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    execution_id VARCHAR(64) NOT NULL REFERENCES executions (id),
    state VARCHAR(16) NOT NULL,
    worker_id VARCHAR(250),
    attempt INT NOT NULL DEFAULT 1,
    duration_ms BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    -- the WorkerTask the executor emitted (or re-emitted) for it, in Kestra's JSON: the message
    -- Kestra posts to its worker-job queue
    "value" JSONB NOT NULL
);

CREATE UNIQUE INDEX task_runs_execution ON task_runs (execution_id);
CREATE INDEX task_runs_state ON task_runs (state);

-- The task runs a worker holds: what the liveness coordinator re-emits when the worker dies.
CREATE TABLE worker_job_running (
    task_run_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES task_runs (id),
    worker_id VARCHAR(250) NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    -- Kestra's WorkerTaskRunning: the worker, the partition, the task run and its task
    "value" JSONB NOT NULL
);

CREATE INDEX worker_job_running_worker ON worker_job_running (worker_id);

-- forced: task runs abandoned by a force-terminated worker; resubmitted: re-emissions.
CREATE TABLE sim_counters (
    name VARCHAR(32) NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);

INSERT INTO sim_counters (name, value) VALUES ('forced', 0), ('resubmitted', 0);
