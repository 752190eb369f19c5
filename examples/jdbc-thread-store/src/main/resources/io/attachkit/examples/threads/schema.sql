-- The thread store's schema, portable between PostgreSQL and H2. Statements are separated by ';'.
-- message_count is both the thread's size and the lock that orders concurrent messages: a writer
-- increments it first (taking the row lock), and its new value is the message's seq.
CREATE TABLE IF NOT EXISTS threads (
    id            VARCHAR(64)  PRIMARY KEY,
    title         VARCHAR(500) NOT NULL,
    message_count BIGINT       NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE IF NOT EXISTS messages (
    id         VARCHAR(64) PRIMARY KEY,
    thread_id  VARCHAR(64) NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    seq        BIGINT      NOT NULL,
    role       VARCHAR(32) NOT NULL,
    content    VARCHAR     NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT messages_thread_seq UNIQUE (thread_id, seq)
);

-- One row per attachment: the Tyler JSON (Attachment.toJson()) as the message store's record, and its file id
-- and storage path as columns, so the orphan sweep and a thread's deletion find the files without parsing JSON.
CREATE TABLE IF NOT EXISTS attachments (
    message_id      VARCHAR(64)   NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    ordinal         INT           NOT NULL,
    file_id         VARCHAR(200)  NOT NULL,
    storage_path    VARCHAR(1000),
    attachment_json VARCHAR       NOT NULL,
    PRIMARY KEY (message_id, ordinal)
);

CREATE INDEX IF NOT EXISTS attachments_file_id ON attachments (file_id);
