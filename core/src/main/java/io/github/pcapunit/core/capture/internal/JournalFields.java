package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.pcapng.JournalEntry;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One non-packet event for a pcapng systemd journal export block (type 9): fields in export
 * format ({@code KEY=value}), with {@code __REALTIME_TIMESTAMP}, {@code MESSAGE},
 * {@code SYSLOG_IDENTIFIER=pcapunit} and {@code PCAPUNIT_EVENT} as docs/DESIGN.md lists them.
 */
public final class JournalFields {

    private final long timestampNanos;
    private final Map<String, String> fields;

    /**
     * An entry at {@code time}; {@code __REALTIME_TIMESTAMP} and {@code SYSLOG_IDENTIFIER} are
     * added, the given fields keep their order.
     */
    public JournalFields(Instant time, Map<String, String> fields) {
        Objects.requireNonNull(time, "time");
        this.timestampNanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("__REALTIME_TIMESTAMP", Long.toString(timestampNanos / 1000));
        all.put("SYSLOG_IDENTIFIER", "pcapunit");
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!isFieldName(e.getKey())) {
                throw new IllegalArgumentException("journal field name " + e.getKey()
                        + " must be upper-case letters, digits and '_'");
            }
            all.put(e.getKey(), e.getValue() == null ? "" : e.getValue().replace('\n', ' '));
        }
        this.fields = Collections.unmodifiableMap(all);
    }

    /** Upper-case letters, digits and '_' (a loop: a regex here cost seconds under a flood of events). */
    private static boolean isFieldName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** A {@code PCAPUNIT_EVENT=mark} entry with {@code message}, now. */
    public static JournalFields mark(String message) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("MESSAGE", message);
        f.put("PCAPUNIT_EVENT", "mark");
        return new JournalFields(Instant.now(), f);
    }

    /** Nanoseconds since the epoch. */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** Every field, in order. */
    public Map<String, String> fields() {
        return fields;
    }

    /**
     * The entry as the pcapng layer writes it (a Journal Export Block): the same fields, the
     * timestamp at the microsecond precision of {@code __REALTIME_TIMESTAMP}.
     */
    public JournalEntry toJournalEntry() {
        Map<String, String> rest = new LinkedHashMap<>(fields);
        rest.remove(JournalEntry.REALTIME_TIMESTAMP);
        return JournalEntry.of(Instant.ofEpochSecond(0, timestampNanos), rest);
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
