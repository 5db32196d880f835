-- Partition maintenance, callable by the writer role without owning the tables (SECURITY DEFINER):
-- creating or dropping a partition needs the parent's owner, and the writer should own nothing.
-- Partitions are calendar months in UTC, named <parent>_pYYYYMM.

CREATE FUNCTION vipwatch_ensure_partition(parent text, month_of timestamptz) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
AS $fn$
DECLARE
    home       text := '${flyway:defaultSchema}';
    first_day  date := date_trunc('month', month_of AT TIME ZONE 'UTC')::date;
    part_name  text := parent || '_p' || to_char(first_day, 'YYYYMM');
BEGIN
    IF parent NOT IN ('ownership_changes', 'alert_transitions', 'input_events') THEN
        RAISE EXCEPTION 'not a partitioned vipwatch table: %', parent;
    END IF;
    -- two sinks creating the same month must not race on the catalog
    PERFORM pg_advisory_xact_lock(hashtext('vipwatch_ensure_partition'), hashtext(part_name));
    IF to_regclass(format('%I.%I', home, part_name)) IS NULL THEN
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                       home, part_name, home, parent,
                       first_day::timestamp AT TIME ZONE 'UTC',
                       (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC');
    END IF;
    RETURN part_name;
END
$fn$;

-- Drops every partition of parent that lies wholly before cutoff and returns their names. Before an
-- ownership_changes partition goes, the last change of each of its VIPs moves to ownership_baseline.
CREATE FUNCTION vipwatch_drop_partitions_before(parent text, cutoff timestamptz) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC'
AS $fn$
DECLARE
    home        text := '${flyway:defaultSchema}';
    part_name   text;
    upper_bound timestamptz;
BEGIN
    IF parent NOT IN ('ownership_changes', 'alert_transitions', 'input_events') THEN
        RAISE EXCEPTION 'not a partitioned vipwatch table: %', parent;
    END IF;
    FOR part_name IN
        SELECT child.relname
        FROM pg_inherits
        JOIN pg_class child ON child.oid = pg_inherits.inhrelid
        WHERE pg_inherits.inhparent = to_regclass(format('%I.%I', home, parent))
          AND child.relname ~ ('^' || parent || '_p[0-9]{6}$')
        ORDER BY child.relname
    LOOP
        upper_bound := (to_date(right(part_name, 6), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        CONTINUE WHEN upper_bound > cutoff;
        IF parent = 'ownership_changes' THEN
            EXECUTE format($sql$
                INSERT INTO %1$I.ownership_baseline AS baseline
                    (cluster, ip, at, event_id, before_nodes, after_nodes, service,
                     cause_type, cause_key, cause_event_id, cause_source, cause_observed_at)
                SELECT DISTINCT ON (cluster, ip)
                       cluster, ip, at, event_id, before_nodes, after_nodes, service,
                       cause_type, cause_key, cause_event_id, cause_source, cause_observed_at
                FROM %1$I.%2$I
                ORDER BY cluster, ip, at DESC
                ON CONFLICT (cluster, ip) DO UPDATE SET
                    at = excluded.at, event_id = excluded.event_id, before_nodes = excluded.before_nodes,
                    after_nodes = excluded.after_nodes, service = excluded.service,
                    cause_type = excluded.cause_type, cause_key = excluded.cause_key,
                    cause_event_id = excluded.cause_event_id, cause_source = excluded.cause_source,
                    cause_observed_at = excluded.cause_observed_at
                WHERE excluded.at >= baseline.at
                $sql$, home, part_name);
        END IF;
        EXECUTE format('DROP TABLE %I.%I', home, part_name);
        RETURN NEXT part_name;
    END LOOP;
END
$fn$;

REVOKE ALL ON FUNCTION vipwatch_ensure_partition(text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION vipwatch_drop_partitions_before(text, timestamptz) FROM PUBLIC;
