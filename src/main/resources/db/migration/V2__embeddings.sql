-- Vectors live in the database too, so the search index can always be rebuilt from the database alone,
-- without embedding everything again. One row per entry, for the model that made it.
CREATE TABLE entry_vectors (
    entry_id    VARCHAR(64) NOT NULL PRIMARY KEY,
    model_id    VARCHAR(64) NOT NULL,
    dimension   INTEGER     NOT NULL CHECK (dimension > 0),
    vector      ${blob}     NOT NULL,
    text_sha256 VARCHAR(64) NOT NULL,
    embedded_at VARCHAR(24) NOT NULL
);
CREATE INDEX entry_vectors_by_model ON entry_vectors (model_id);

-- Retry bookkeeping for the embedding workers: attempts so far, the last error, and when to try again.
ALTER TABLE experiences ADD COLUMN embedding_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE experiences ADD COLUMN embedding_error VARCHAR(1000);
ALTER TABLE experiences ADD COLUMN embedding_retry_at VARCHAR(24);
ALTER TABLE manuals ADD COLUMN embedding_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE manuals ADD COLUMN embedding_error VARCHAR(1000);
ALTER TABLE manuals ADD COLUMN embedding_retry_at VARCHAR(24);
CREATE INDEX experiences_by_queue ON experiences (embedding_status, updated_at);
CREATE INDEX manuals_by_queue ON manuals (embedding_status, updated_at);
