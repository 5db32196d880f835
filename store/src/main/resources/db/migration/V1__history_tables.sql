-- vipwatch history (DESIGN.md section 5). Times are timestamptz (UTC); IPs are canonical text
-- (io.vipwatch.schemas.Ips). Time-series tables are range-partitioned by month; the sink creates
-- partitions ahead through vipwatch_ensure_partition and retention drops whole partitions through
-- vipwatch_drop_partitions_before (both below, in V2).

-- The Kafka position of the sink, written in the same transaction as the rows of each batch:
-- on start and on every partition assignment the sink seeks here, so a crash anywhere neither loses
-- nor duplicates a row. next_offset = offset of the last stored record + 1.
CREATE TABLE kafka_offsets (
    consumer_group text        NOT NULL,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    next_offset    bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);

-- Every cluster the store has heard of; the API answers 400 for any other.
CREATE TABLE clusters (
    cluster    text PRIMARY KEY,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL
);

-- One row per OwnershipChange: the set of nodes answering for a VIP changed.
CREATE TABLE ownership_changes (
    at                timestamptz NOT NULL,
    cluster           text        NOT NULL,
    ip                text        NOT NULL,
    event_id          text        NOT NULL,
    before_nodes      text[]      NOT NULL,
    after_nodes       text[]      NOT NULL,
    service           text,
    cause_type        text        NOT NULL,
    cause_key         text        NOT NULL,
    cause_event_id    text,
    cause_source      text,
    cause_observed_at timestamptz NOT NULL
) PARTITION BY RANGE (at);
-- point in time (last change at or before T) and timeline (changes of one VIP in a range);
-- per-cluster top flaps scan the cluster prefix
CREATE INDEX ownership_changes_vip_at ON ownership_changes (cluster, ip, at DESC);

-- The last change of each VIP whose partition retention dropped: keeps point-in-time answers right
-- for VIPs that have not moved for longer than the retention.
CREATE TABLE ownership_baseline (
    cluster           text        NOT NULL,
    ip                text        NOT NULL,
    at                timestamptz NOT NULL,
    event_id          text        NOT NULL,
    before_nodes      text[]      NOT NULL,
    after_nodes       text[]      NOT NULL,
    service           text,
    cause_type        text        NOT NULL,
    cause_key         text        NOT NULL,
    cause_event_id    text,
    cause_source      text,
    cause_observed_at timestamptz NOT NULL,
    PRIMARY KEY (cluster, ip)
);

-- One row per Alert transition (OPENED, UPDATED, RESOLVED). event_id is deterministic, so a
-- transition written twice is stored once.
CREATE TABLE alert_transitions (
    at          timestamptz NOT NULL,
    event_id    text        NOT NULL,
    fingerprint text        NOT NULL,
    episode     text        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('OPENED', 'UPDATED', 'RESOLVED')),
    kind        text        NOT NULL,
    severity    text        NOT NULL,
    cluster     text        NOT NULL,
    vip         text,
    service     text,
    nodes       text[]      NOT NULL,
    opened_at   timestamptz NOT NULL,
    hint        text,
    evidence    jsonb       NOT NULL,
    UNIQUE (event_id, at)
) PARTITION BY RANGE (at);
CREATE INDEX alert_transitions_vip_at ON alert_transitions (cluster, vip, at);
CREATE INDEX alert_transitions_episode ON alert_transitions (episode);

-- One row per alert episode (open to resolve), kept current by the sink from the transitions.
CREATE TABLE alert_episodes (
    episode     text PRIMARY KEY,
    fingerprint text        NOT NULL,
    cluster     text        NOT NULL,
    vip         text,
    kind        text        NOT NULL,
    severity    text        NOT NULL,
    service     text,
    -- every node the episode involved, sorted
    nodes       text[]      NOT NULL,
    opened_at   timestamptz NOT NULL,
    resolved_at timestamptz,
    last_state  text        NOT NULL,
    last_at     timestamptz NOT NULL,
    hint        text,
    transitions integer     NOT NULL
);
-- open alerts by cluster and kind
CREATE INDEX alert_episodes_open ON alert_episodes (cluster, kind) WHERE resolved_at IS NULL;
-- episodes of one VIP (timeline, flap counts)
CREATE INDEX alert_episodes_vip ON alert_episodes (cluster, vip, opened_at);
-- episodes over a range (time to resolve)
CREATE INDEX alert_episodes_opened ON alert_episodes (opened_at);

-- The latest VipState of each VIP (the topic is compacted; a tombstone deletes the row).
CREATE TABLE vip_states (
    cluster         text             NOT NULL,
    ip              text             NOT NULL,
    updated_at      timestamptz      NOT NULL,
    responders      text[]           NOT NULL,
    open_conditions text[]           NOT NULL,
    flap_penalty    double precision NOT NULL,
    claims          jsonb            NOT NULL,
    announcements   jsonb            NOT NULL,
    bindings        jsonb            NOT NULL,
    PRIMARY KEY (cluster, ip)
);

-- The latest heartbeat of each collector and node agent.
CREATE TABLE last_heartbeats (
    cluster     text        NOT NULL,
    source      text        NOT NULL,
    node        text,
    at          timestamptz NOT NULL,
    interval_ms bigint      NOT NULL,
    PRIMARY KEY (cluster, source)
);

-- With --raw: every input event, as its recording line (DESIGN.md section 3.1), for a full audit trail.
CREATE TABLE input_events (
    observed_at     timestamptz NOT NULL,
    topic           text        NOT NULL,
    partition       integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    type            text        NOT NULL,
    cluster         text        NOT NULL,
    record_key      text,
    event_id        text,
    source          text,
    recording       jsonb       NOT NULL
) PARTITION BY RANGE (observed_at);
CREATE INDEX input_events_cluster_at ON input_events (cluster, observed_at);

-- Records the sink could not store; the same records go to the dead-letter topic.
CREATE TABLE dead_letters (
    topic        text        NOT NULL,
    partition    integer     NOT NULL,
    kafka_offset bigint      NOT NULL,
    record_key   text,
    reason       text        NOT NULL,
    detail       text        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, kafka_offset)
);
