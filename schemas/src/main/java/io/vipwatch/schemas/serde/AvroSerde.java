package io.vipwatch.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Map;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for an Avro record in single-object encoding: {@code C3 01}, the 8-byte CRC-64-AVRO
 * fingerprint of the writer schema (little-endian), then the binary body. Any Avro library decodes
 * it with the {@code .avsc} files and no registry. Old writer schemas listed in {@link SchemaHistory}
 * are resolved by fingerprint. Thread-safe.
 */
public final class AvroSerde<T extends SpecificRecordBase> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /** Records larger than this are refused ("oversized"): nothing vipwatch writes comes near it. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    static {
        // Decoding is bounded before allocating: no string, byte array or collection inside a record of at most
        // DEFAULT_MAX_BYTES can be longer than that, so a body that declares more (15 bytes promising a 2^31-byte
        // string or array) fails with SystemLimitException instead of allocating gigabytes. Avro reads these
        // properties once, when its SystemLimitException class is first used, which is in a decode after this.
        for (final String limit : new String[] {"org.apache.avro.limits.string.maxLength",
            "org.apache.avro.limits.bytes.maxLength", "org.apache.avro.limits.collectionItems.maxLength"}) {
            if (System.getProperty(limit) == null) {
                System.setProperty(limit, Integer.toString(DEFAULT_MAX_BYTES));
            }
        }
        // Avro 1.12 only instantiates classes it trusts; ours are the generated contract classes
        final ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                type -> type.getName().startsWith("io.vipwatch.schemas.avro.")));
    }

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final int maxBytes;

    private AvroSerde(final Class<T> type, final int maxBytes) {
        this.type = type;
        this.maxBytes = maxBytes;
        final SpecificData model = SpecificData.getForClass(type);
        final Schema schema = model.getSchema(type);
        final SchemaStore.Cache history = new SchemaStore.Cache();
        for (final Schema old : SchemaHistory.of(schema.getFullName())) {
            history.addSchema(old);
        }
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, history);
        for (final Schema old : SchemaHistory.of(schema.getFullName())) {
            decoder.addSchema(old);
        }
    }

    public static <T extends SpecificRecordBase> AvroSerde<T> of(final Class<T> type) {
        return new AvroSerde<>(type, DEFAULT_MAX_BYTES);
    }

    public static <T extends SpecificRecordBase> AvroSerde<T> of(final Class<T> type, final int maxBytes) {
        return new AvroSerde<>(type, maxBytes);
    }

    public Class<T> type() {
        return type;
    }

    /** Single-object encoding of a record. */
    public byte[] encode(final T record) {
        try {
            final ByteBuffer buffer = encoder.encode(record);
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (final IOException | AvroRuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes single-object encoded bytes.
     *
     * @throws SerializationException naming the problem: oversized, not single-object encoding, unknown
     *                                fingerprint, or a body that does not match the schema
     */
    public T decode(final byte[] bytes) {
        if (bytes.length > maxBytes) {
            throw new SerializationException("oversized: " + bytes.length + " bytes exceed the " + maxBytes
                    + "-byte limit for " + type.getSimpleName());
        }
        try {
            return decoder.decode(bytes);
        } catch (final MissingSchemaException e) {
            throw new SerializationException("unknown schema fingerprint " + fingerprintOf(bytes) + " for "
                    + type.getSimpleName() + " (not a known writer schema)", e);
        } catch (final BadHeaderException e) {
            throw new SerializationException("not Avro single-object encoding for " + type.getSimpleName()
                    + ": expected header C3 01, got " + head(bytes), e);
        } catch (final SystemLimitException e) {
            throw new SerializationException("oversized: the " + type.getSimpleName() + " body (" + bytes.length
                    + " bytes) declares more than it may hold: " + e.getMessage(), e);
        } catch (final IOException | RuntimeException e) {
            // any failure of the decoder is the record's fault: Avro lets UnsupportedOperationException,
            // NegativeArraySizeException, ClassCastException ... escape on crafted bodies
            throw new SerializationException("undecodable " + type.getSimpleName() + " body (" + bytes.length
                    + " bytes): " + e, e);
        }
    }

    /** The CRC-64-AVRO fingerprint of the schema this serde writes. */
    public long fingerprint() {
        return SchemaNormalization.parsingFingerprint64(SpecificData.getForClass(type).getSchema(type));
    }

    private static String head(final byte[] bytes) {
        if (bytes.length == 0) {
            return "no bytes";
        }
        final int n = Math.min(bytes.length, 2);
        final byte[] first = new byte[n];
        System.arraycopy(bytes, 0, first, 0, n);
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(first);
    }

    private static String fingerprintOf(final byte[] bytes) {
        if (bytes.length < 10) {
            return "(truncated)";
        }
        final byte[] fp = new byte[8];
        System.arraycopy(bytes, 2, fp, 0, 8);
        return HexFormat.of().formatHex(fp);
    }

    @Override
    public byte[] serialize(final String topic, final T data) {
        return data == null ? null : encode(data);
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decode(data);
        } catch (final SerializationException e) {
            throw new SerializationException(topic + ": " + e.getMessage(), e.getCause());
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        // nothing to configure: the schema is the generated class's
    }

    @Override
    public void close() {
        // nothing to release
    }
}
