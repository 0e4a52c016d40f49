package io.github.pcapunit.core.pcapng;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A non-packet event stored in a pcapng file as a systemd Journal Export Block (block type 9):
 * a timestamp plus ordered {@code KEY=value} fields. Wireshark shows the {@code MESSAGE} field in
 * the packet list. pcapunit uses it for kernel drop evidence and test start/end marks; the field
 * names are listed in {@code docs/DESIGN.md}.
 *
 * <pre>{@code
 * JournalEntry mark = JournalEntry.builder(Instant.now())
 *         .field(JournalKey.MESSAGE, "test placesOrder started")
 *         .field(JournalKey.PCAPUNIT_EVENT, "mark")
 *         .build();
 * mark.message();                          // "test placesOrder started"
 * mark.get(JournalKey.PCAPUNIT_EVENT);     // Optional["mark"]
 * }</pre>
 *
 * <p>The timestamp is stored as {@code __REALTIME_TIMESTAMP} in microseconds, so it is truncated
 * to microseconds on construction; {@link #fields()} never contains {@code __REALTIME_TIMESTAMP}.
 * Field names follow journal rules: upper-case letters, digits and {@code _}, not starting with a
 * digit.
 */
public final class JournalEntry {

    /** The field Wireshark shows as the event's text. */
    public static final String MESSAGE = "MESSAGE";
    /** The timestamp field of the export format (microseconds since the epoch). */
    public static final String REALTIME_TIMESTAMP = "__REALTIME_TIMESTAMP";

    private final Instant timestamp;
    private final Map<String, String> fields;

    private JournalEntry(Instant timestamp, Map<String, String> fields) {
        this.timestamp = timestamp.truncatedTo(ChronoUnit.MICROS);
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * An entry with the given fields, in their iteration order.
     *
     * @throws IllegalArgumentException if a field name is not a valid journal field name
     */
    public static JournalEntry of(Instant timestamp, Map<String, String> fields) {
        Builder b = builder(timestamp);
        fields.forEach(b::field);
        return b.build();
    }

    /** A builder for an entry at {@code timestamp}. */
    public static Builder builder(Instant timestamp) {
        return new Builder(Objects.requireNonNull(timestamp, "timestamp"));
    }

    /** When the event happened (microsecond precision). */
    public Instant timestamp() {
        return timestamp;
    }

    /** The fields in the order they were added/read, without {@code __REALTIME_TIMESTAMP}. */
    public Map<String, String> fields() {
        return fields;
    }

    /** The {@code MESSAGE} field, or {@code ""} when there is none. */
    public String message() {
        return fields.getOrDefault(MESSAGE, "");
    }

    /** The field named {@code name}, or {@code null}. */
    public String field(String name) {
        return fields.get(name);
    }

    /**
     * The field {@code key}, or empty when the entry has none.
     *
     * <pre>{@code entry.get(JournalKey.PCAPUNIT_REASON).orElse("unknown")}</pre>
     */
    public Optional<String> get(JournalKey key) {
        return Optional.ofNullable(fields.get(key.fieldName()));
    }

    /** The field {@code key}, or {@code fallback} when the entry has none. */
    public String getOrDefault(JournalKey key, String fallback) {
        return fields.getOrDefault(key.fieldName(), fallback);
    }

    /** Whether the entry has the field {@code key}. */
    public boolean has(JournalKey key) {
        return fields.containsKey(key.fieldName());
    }

    /**
     * Whether the entry's {@link JournalKey#PCAPUNIT_EVENT} is {@code event}.
     *
     * <pre>{@code entry.isEvent("kfree_skb")}</pre>
     */
    public boolean isEvent(String event) {
        return event.equals(fields.get(JournalKey.PCAPUNIT_EVENT.fieldName()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEntry && ((JournalEntry) o).timestamp.equals(timestamp)
                && ((JournalEntry) o).fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, fields);
    }

    @Override
    public String toString() {
        return "JournalEntry[" + timestamp + " " + fields + "]";
    }

    /**
     * Builds a {@link JournalEntry}; fields keep the order they are added in.
     *
     * <pre>{@code
     * JournalEntry.builder(ts).field("MESSAGE", "dropped").field("PCAPUNIT_EVENT", "kfree_skb").build();
     * }</pre>
     */
    public static final class Builder {
        private final Instant timestamp;
        private final Map<String, String> fields = new LinkedHashMap<>();

        private Builder(Instant timestamp) {
            this.timestamp = timestamp;
        }

        /**
         * Adds (or replaces) a field. A {@code __REALTIME_TIMESTAMP} field is ignored: the
         * entry's timestamp is written instead.
         *
         * @throws IllegalArgumentException if {@code name} is not a valid journal field name
         */
        public Builder field(String name, String value) {
            Objects.requireNonNull(value, "value");
            if (!validName(name)) {
                throw new IllegalArgumentException("journal field name '" + name
                        + "' is invalid; use upper-case letters, digits and '_', not starting"
                        + " with a digit, e.g. PCAPUNIT_REASON");
            }
            if (!REALTIME_TIMESTAMP.equals(name)) {
                fields.put(name, value);
            }
            return this;
        }

        /**
         * Adds (or replaces) the field {@code key}.
         *
         * <pre>{@code builder.field(JournalKey.PCAPUNIT_EVENT, "mark")}</pre>
         */
        public Builder field(JournalKey key, String value) {
            return field(key.fieldName(), value);
        }

        /** The immutable entry. */
        public JournalEntry build() {
            return new JournalEntry(timestamp, fields);
        }

        private static boolean validName(String name) {
            if (name == null || name.isEmpty() || name.length() > 64
                    || (name.charAt(0) >= '0' && name.charAt(0) <= '9')) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                    return false;
                }
            }
            return true;
        }
    }
}
