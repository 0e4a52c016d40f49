package io.github.pcapunit.core.capture.internal.kernel;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kernel events as journal-entry fields (docs/DESIGN.md) and back, so a pcapng read later gives
 * the same drop records as the live capture. Field {@code PCAPUNIT_CPU} carries the CPU, needed
 * for correlation. A {@code kfree_skb} entry's {@code MESSAGE} is its drop record's pktmon-like
 * line, and its flow fields are filled from the correlation.
 */
public final class KernelJournal {

    private static final List<String> KEYS = List.of("reason", "location", "protocol", "saddr", "daddr", "sport",
            "dport", "oldstate", "newstate");

    private KernelJournal() {
    }

    /**
     * The journal fields of {@code event} (without {@code __REALTIME_TIMESTAMP}, which the entry
     * adds from {@link KernelEvent#time()}); {@code drop} is its record for a kfree_skb, else null.
     */
    public static Map<String, String> fields(KernelEvent event, KernelDrop drop) {
        Map<String, String> f = new LinkedHashMap<>();
        // One entry is one event: its message describes this drop, not the whole record's count.
        f.put("MESSAGE", drop != null ? drop.single(event.time()).line() : message(event));
        f.put("PCAPUNIT_EVENT", event.name());
        for (String key : KEYS) {
            String value = event.field(key);
            if (!value.isEmpty()) {
                f.put("PCAPUNIT_" + key.toUpperCase(java.util.Locale.ROOT), value);
            }
        }
        if (event.name().equals("kfree_skb")) {
            f.put("PCAPUNIT_COMPONENT", Components.of(event.field("location"), event.field("reason")));
            if (drop != null && drop.hasFlow()) {
                f.put("PCAPUNIT_FLOW_PROTOCOL", drop.protocol());
                f.put("PCAPUNIT_SADDR", drop.saddr());
                f.put("PCAPUNIT_DADDR", drop.daddr());
                f.put("PCAPUNIT_SPORT", Integer.toString(drop.sport()));
                f.put("PCAPUNIT_DPORT", Integer.toString(drop.dport()));
            }
        }
        f.put("PCAPUNIT_CPU", Integer.toString(event.cpu()));
        f.put("_PID", Long.toString(event.pid()));
        f.put("_COMM", event.comm());
        return f;
    }

    /**
     * The event an entry describes, or null when the entry is not a kernel event (a mark).
     * {@code timestampMicros} is {@code __REALTIME_TIMESTAMP}.
     */
    public static KernelEvent event(Map<String, String> fields) {
        String name = fields.getOrDefault("PCAPUNIT_EVENT", "");
        if (name.isEmpty() || name.equals("mark") || name.equals("nftrace")) {
            return null;
        }
        long micros = Long.parseLong(fields.getOrDefault("__REALTIME_TIMESTAMP", "0"));
        Instant time = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : KEYS) {
            String value = fields.get("PCAPUNIT_" + key.toUpperCase(java.util.Locale.ROOT));
            if (value != null && !(name.equals("kfree_skb") && List.of("saddr", "daddr", "sport", "dport").contains(key))) {
                values.put(key, value);
            }
        }
        int cpu = Integer.parseInt(fields.getOrDefault("PCAPUNIT_CPU", "-1"));
        long pid = Long.parseLong(fields.getOrDefault("_PID", "-1"));
        return new KernelEvent(name, time, cpu, pid, fields.getOrDefault("_COMM", ""), values);
    }

    /** The drop records of journal entries read back from a pcapng (other entries are ignored). */
    public static List<KernelDrop> drops(List<Map<String, String>> entries) {
        return KernelDrops.correlate(entries.stream().map(KernelJournal::event)
                .filter(java.util.Objects::nonNull).toList());
    }

    private static String message(KernelEvent e) {
        String flow = e.field("protocol") + " " + e.field("saddr") + ":" + e.field("sport") + " \u2192 "
                + e.field("daddr") + ":" + e.field("dport");
        String process = e.hasProcess() ? ", process " + e.comm() + " (pid " + e.pid() + ")" : "";
        return switch (e.name()) {
            case "inet_sock_set_state" -> "TCP state " + e.field("oldstate") + " \u2192 " + e.field("newstate")
                    + ", " + flow + process;
            case "tcp_retransmit_skb" -> "TCP retransmission in " + e.field("newstate") + ", " + flow + process;
            case "tcp_send_reset" -> "TCP reset sent (" + e.field("reason") + "), " + flow + process;
            case "tcp_receive_reset" -> "TCP reset received, " + flow + process;
            default -> e.name() + " " + e.fields() + process;
        };
    }
}
