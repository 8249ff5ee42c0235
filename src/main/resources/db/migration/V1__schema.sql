-- CHL schema: every table of DESIGN §2–3.
-- Portable SQL; the few dialect differences come in as Flyway placeholders set by store.Dialect:
--   ${id_pk}           an auto-increment 64-bit primary key
--   ${three_letters}   a predicate that is true for exactly three upper-case ASCII letters
--   ${blob}            a binary column
-- Timestamps are ISO-8601 UTC text of fixed width (common.Times), so they sort correctly as text.

CREATE TABLE categories (
    code        VARCHAR(3)    NOT NULL PRIMARY KEY CHECK (code ${three_letters}),
    name        VARCHAR(80)   NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    description VARCHAR(1000) NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    created_at  VARCHAR(24)   NOT NULL
);

CREATE TABLE experiences (
    id               VARCHAR(64)   NOT NULL PRIMARY KEY,
    category_code    VARCHAR(3)    NOT NULL REFERENCES categories (code),
    section          VARCHAR(16)   NOT NULL CHECK (section IN ('useful', 'harmful', 'contextual')),
    title            VARCHAR(120)  NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    playbook         VARCHAR(2000) NOT NULL CHECK (length(playbook) BETWEEN 1 AND 2000),
    context          VARCHAR(4000) CHECK (context IS NULL OR length(context) <= 4000),
    source           VARCHAR(8)    NOT NULL CHECK (source IN ('local', 'global')),
    sync_status      VARCHAR(16)   NOT NULL CHECK (sync_status IN ('synced', 'pending', 'local_only')),
    author           VARCHAR(120)  CHECK (author IS NULL OR length(author) <= 120),
    embedding_status VARCHAR(16)   NOT NULL DEFAULT 'pending' CHECK (embedding_status IN ('pending', 'embedded', 'failed')),
    created_at       VARCHAR(24)   NOT NULL,
    updated_at       VARCHAR(24)   NOT NULL,
    synced_at        VARCHAR(24),
    exported_at      VARCHAR(24),
    CHECK (NOT (source = 'global' AND sync_status = 'local_only'))
);
CREATE INDEX experiences_by_time ON experiences (created_at, id);
CREATE INDEX experiences_by_category ON experiences (category_code, created_at, id);
CREATE INDEX experiences_by_embedding ON experiences (embedding_status);
CREATE INDEX experiences_by_sync ON experiences (sync_status);

CREATE TABLE manuals (
    id               VARCHAR(64)    NOT NULL PRIMARY KEY,
    category_code    VARCHAR(3)     NOT NULL REFERENCES categories (code),
    title            VARCHAR(120)   NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    content          VARCHAR(100000) NOT NULL CHECK (length(content) BETWEEN 1 AND 100000),
    summary          VARCHAR(1000)  CHECK (summary IS NULL OR length(summary) <= 1000),
    source           VARCHAR(8)     NOT NULL CHECK (source IN ('local', 'global')),
    sync_status      VARCHAR(16)    NOT NULL CHECK (sync_status IN ('synced', 'pending', 'local_only')),
    author           VARCHAR(120)   CHECK (author IS NULL OR length(author) <= 120),
    embedding_status VARCHAR(16)    NOT NULL DEFAULT 'pending' CHECK (embedding_status IN ('pending', 'embedded', 'failed')),
    created_at       VARCHAR(24)    NOT NULL,
    updated_at       VARCHAR(24)    NOT NULL,
    synced_at        VARCHAR(24),
    exported_at      VARCHAR(24),
    CHECK (NOT (source = 'global' AND sync_status = 'local_only'))
);
CREATE INDEX manuals_by_time ON manuals (created_at, id);
CREATE INDEX manuals_by_category ON manuals (category_code, created_at, id);
CREATE INDEX manuals_by_embedding ON manuals (embedding_status);
CREATE INDEX manuals_by_sync ON manuals (sync_status);

-- Configuration metadata only: secret bytes never reach this table.
CREATE TABLE settings (
    key          VARCHAR(100) NOT NULL PRIMARY KEY,
    value_json   TEXT         NOT NULL,
    checksum     VARCHAR(64),
    validated_at VARCHAR(24),
    notes        VARCHAR(1000),
    updated_at   VARCHAR(24)  NOT NULL
);

-- Live worker signals; a rolling window, pruned by retention.
CREATE TABLE worker_metrics (
    id           ${id_pk},
    worker_id    VARCHAR(64) NOT NULL,
    heartbeat_at VARCHAR(24) NOT NULL,
    status       VARCHAR(16) NOT NULL CHECK (status IN ('running', 'paused', 'draining', 'idle', 'stopped')),
    queue_depth  INTEGER     NOT NULL DEFAULT 0 CHECK (queue_depth >= 0),
    processed    BIGINT      NOT NULL DEFAULT 0 CHECK (processed >= 0),
    failed       BIGINT      NOT NULL DEFAULT 0 CHECK (failed >= 0),
    payload_json TEXT
);
CREATE INDEX worker_metrics_by_worker ON worker_metrics (worker_id, heartbeat_at);
CREATE INDEX worker_metrics_by_time ON worker_metrics (heartbeat_at);

-- The durable record of every operation.
CREATE TABLE job_history (
    job_id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    job_type         VARCHAR(32)  NOT NULL CHECK (job_type IN ('import', 'export', 'index-rebuild', 'embeddings-sync', 'backup')),
    status           VARCHAR(24)  NOT NULL CHECK (status IN ('queued', 'running', 'cancel_requested', 'succeeded', 'failed', 'cancelled', 'timed_out')),
    triggered_by     VARCHAR(120) NOT NULL,
    source           VARCHAR(8)   NOT NULL CHECK (source IN ('api', 'cli', 'ui', 'mcp', 'system')),
    options_json     TEXT         NOT NULL DEFAULT '{}',
    created_at       VARCHAR(24)  NOT NULL,
    started_at       VARCHAR(24),
    finished_at      VARCHAR(24),
    progress_percent INTEGER      NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
    progress_step    VARCHAR(200),
    progress_done    BIGINT       NOT NULL DEFAULT 0,
    progress_total   BIGINT       NOT NULL DEFAULT 0,
    result_summary   TEXT,
    error            TEXT,
    cancel_requested SMALLINT     NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    retry_of         VARCHAR(64)  REFERENCES job_history (job_id),
    telemetry_json   TEXT
);
CREATE INDEX job_history_by_type ON job_history (job_type, created_at);
CREATE INDEX job_history_by_status ON job_history (status, created_at);

CREATE TABLE audit_log (
    id           ${id_pk},
    timestamp    VARCHAR(24)  NOT NULL,
    actor        VARCHAR(120) NOT NULL,
    source       VARCHAR(8)   NOT NULL CHECK (source IN ('api', 'cli', 'ui', 'mcp', 'system')),
    action       VARCHAR(64)  NOT NULL,
    details_json TEXT         NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_time ON audit_log (timestamp);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);

-- Advisory locks held by jobs as renewable leases.
CREATE TABLE operation_locks (
    name         VARCHAR(64) NOT NULL PRIMARY KEY,
    owner_job_id VARCHAR(64) NOT NULL REFERENCES job_history (job_id),
    acquired_at  VARCHAR(24) NOT NULL,
    expires_at   VARCHAR(24) NOT NULL
);
