-- The 2.0 line's level. Harmless for older versions: an index they do not need.
CREATE INDEX worker_job_running_started_at ON worker_job_running (started_at);
