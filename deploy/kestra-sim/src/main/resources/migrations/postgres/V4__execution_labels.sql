-- Harmless for older versions: they never read or write this column.
ALTER TABLE executions ADD COLUMN labels JSONB NOT NULL DEFAULT '{}'::jsonb;
