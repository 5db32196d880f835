package io.vipwatch.store;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.postgresql.ds.PGSimpleDataSource;

import io.vipwatch.schemas.Topics;

/**
 * The sink alone in a JVM of its own, so a test can kill it with SIGKILL mid-stream. Arguments:
 * bootstrap servers, topic prefix, JDBC URL, user, group id. Prints "started" once the sink runs.
 */
public final class SinkProcess {

    private SinkProcess() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final Properties client = new Properties();
        client.put("bootstrap.servers", args[0]);
        // a killed sink leaves the group after this long, so the restarted one gets the partitions sooner
        client.put("session.timeout.ms", "6000");
        client.put("heartbeat.interval.ms", "1000");
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[2]);
        dataSource.setUser(args[3]);
        final HistoryWriter writer = HistoryWriter.start(HistorySettings.of(client, Topics.withPrefix(args[1]), dataSource)
                .withGroupId(args[4]).withPoll(Duration.ofMillis(100), 250));
        System.out.println("started");
        System.out.flush();
        new CountDownLatch(1).await();
        writer.close();
    }
}
