/**
 * Real servers started by vipwatch itself, for {@code vipwatch demo} and for the tests: a
 * single-node Kafka broker in this JVM ({@link io.vipwatch.embedded.EmbeddedKafka}) and a
 * PostgreSQL, external or started from packaged binaries ({@link io.vipwatch.embedded.PostgresServer}).
 * Only production jars: no Kafka test jar is needed.
 */
package io.vipwatch.embedded;
