-- Harmless for older versions: an index they do not need.
CREATE INDEX task_runs_completed_at ON task_runs (completed_at);
