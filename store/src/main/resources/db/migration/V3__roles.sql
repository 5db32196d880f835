-- Least privilege. The writer role (the sink) may insert and update the history, call the partition
-- functions and nothing else; the reader role (the HTTP API, the CLI) may only read. Both are NOLOGIN
-- groups: an administrator grants them to login users, e.g.
--   CREATE ROLE vipwatch_api LOGIN PASSWORD '...' IN ROLE vipwatch_reader;
-- Role names are Flyway placeholders (writerRole, readerRole), see io.vipwatch.store.Migrations.
-- Roles belong to the whole PostgreSQL server: they are created once and shared by its databases.

DO $roles$
BEGIN
    BEGIN
        CREATE ROLE ${writerRole} NOLOGIN;
    EXCEPTION WHEN duplicate_object THEN
        NULL;
    END;
    BEGIN
        CREATE ROLE ${readerRole} NOLOGIN;
    EXCEPTION WHEN duplicate_object THEN
        NULL;
    END;
END
$roles$;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO ${writerRole}, ${readerRole};

GRANT SELECT, INSERT, UPDATE ON kafka_offsets, clusters, ownership_baseline, last_heartbeats TO ${writerRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_episodes, vip_states TO ${writerRole};
GRANT SELECT, INSERT ON ownership_changes, alert_transitions, input_events, dead_letters TO ${writerRole};
GRANT EXECUTE ON FUNCTION vipwatch_ensure_partition(text, timestamptz) TO ${writerRole};
GRANT EXECUTE ON FUNCTION vipwatch_drop_partitions_before(text, timestamptz) TO ${writerRole};

GRANT SELECT ON clusters, ownership_changes, ownership_baseline, alert_transitions, alert_episodes,
    vip_states, last_heartbeats, input_events, dead_letters TO ${readerRole};
