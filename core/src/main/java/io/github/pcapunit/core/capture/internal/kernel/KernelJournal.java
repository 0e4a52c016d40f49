package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kernel events and firewall verdicts as journal-entry fields (docs/DESIGN.md) and back, so a
 * pcapng read later gives the same drop records as the live capture, and the engine can comment
 * the dropped packets from the entries it is writing. Field {@code PCAPUNIT_CPU} carries the
 * CPU, needed for correlation. A {@code kfree_skb} entry's {@code MESSAGE} is its drop record's
 * pktmon-like line, and its flow fields are filled from the correlation.
 *
 * <pre>{@code
 * List<KernelDrop> drops = KernelJournal.drops(traffic.journal());
 * List<KernelJournal.FirewallVerdict> verdicts = KernelJournal.firewallVerdicts(traffic.journal());
 * }</pre>
 */
public final class KernelJournal {

    /** {@code PCAPUNIT_EVENT} of a firewall explain verdict. */
    public static final String NFTRACE = "nftrace";
    /** {@code PCAPUNIT_EVENT} of a kernel drop. */
    public static final String KFREE_SKB = "kfree_skb";

    /**
     * Event field name → journal key, in the order an entry lists the fields (an entry's fields
     * come out the same in every run).
     */
    private static final Map<String, JournalKey> KEYS = ordered(Map.entry("reason", JournalKey.PCAPUNIT_REASON),
            Map.entry("location", JournalKey.PCAPUNIT_LOCATION), Map.entry("protocol", JournalKey.PCAPUNIT_PROTOCOL),
            Map.entry("saddr", JournalKey.PCAPUNIT_SADDR), Map.entry("daddr", JournalKey.PCAPUNIT_DADDR),
            Map.entry("sport", JournalKey.PCAPUNIT_SPORT), Map.entry("dport", JournalKey.PCAPUNIT_DPORT),
            Map.entry("oldstate", JournalKey.PCAPUNIT_OLDSTATE), Map.entry("newstate", JournalKey.PCAPUNIT_NEWSTATE));
    /** eBPF event field → journal key, besides those of {@link #KEYS}, listed after them in this order. */
    private static final Map<String, JournalKey> EBPF_KEYS = ordered(
            Map.entry("ipproto", JournalKey.PCAPUNIT_FLOW_PROTOCOL), Map.entry("flags", JournalKey.PCAPUNIT_FLAGS),
            Map.entry("ttl", JournalKey.PCAPUNIT_TTL), Map.entry("hook", JournalKey.PCAPUNIT_HOOK),
            Map.entry("netns", JournalKey.PCAPUNIT_NETNS), Map.entry("netns_inode", JournalKey.PCAPUNIT_NETNS_INODE));
    /** The tracepoints the recorder enables whose events become entries. */
    private static final Set<String> KERNEL_EVENTS = Set.of(KFREE_SKB, "inet_sock_set_state", "tcp_retransmit_skb",
            "tcp_send_reset", "tcp_receive_reset");

    private KernelJournal() {
    }

    /** {@code fieldKeys} as an unmodifiable map that iterates in the order given. */
    @SafeVarargs
    private static Map<String, JournalKey> ordered(Map.Entry<String, JournalKey>... fieldKeys) {
        Map<String, JournalKey> k = new LinkedHashMap<>();
        for (Map.Entry<String, JournalKey> e : fieldKeys) {
            k.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(k);
    }

    /**
     * The journal fields of {@code event} (without {@code __REALTIME_TIMESTAMP}, which the entry
     * adds from {@link KernelEvent#time()}); {@code drop} is its record for a kfree_skb, else null.
     */
    public static Map<String, String> fields(KernelEvent event, KernelDrop drop) {
        if (BpfLines.EBPF.equals(event.field("source"))) {
            return ebpfFields(event, 1, null);
        }
        Map<String, String> f = new LinkedHashMap<>();
        // One entry is one event: its message describes this drop, not the whole record's count.
        put(f, JournalKey.MESSAGE, drop != null ? drop.single(event.time()).line() : message(event));
        put(f, JournalKey.PCAPUNIT_EVENT, event.name());
        putPresent(f, event, KEYS);
        if (event.name().equals(KFREE_SKB)) {
            put(f, JournalKey.PCAPUNIT_COMPONENT, Components.of(event.field("location"), event.field("reason")));
            if (drop != null && drop.hasFlow()) {
                put(f, JournalKey.PCAPUNIT_FLOW_PROTOCOL, drop.protocol());
                put(f, JournalKey.PCAPUNIT_SADDR, drop.saddr());
                put(f, JournalKey.PCAPUNIT_DADDR, drop.daddr());
                put(f, JournalKey.PCAPUNIT_SPORT, Integer.toString(drop.sport()));
                put(f, JournalKey.PCAPUNIT_DPORT, Integer.toString(drop.dport()));
            }
            put(f, JournalKey.PCAPUNIT_DROP_SOURCE, KernelDrop.TRACEFS);
            put(f, JournalKey.PCAPUNIT_CONFIDENCE, "INFERRED");
        }
        put(f, JournalKey.PCAPUNIT_CPU, Integer.toString(event.cpu()));
        put(f, JournalKey.PID, Long.toString(event.pid()));
        put(f, JournalKey.COMM, event.comm());
        return f;
    }

    /**
     * The journal fields of a drop the eBPF program read ({@link BpfLines}): the packet's own
     * headers, namespace, hook, {@code PCAPUNIT_DROP_SOURCE=EBPF}, {@code PCAPUNIT_CONFIDENCE=OBSERVED},
     * and {@code _PID}/{@code _COMM} only for a known socket owner. With {@code count > 1} (and
     * {@code last}) it is a {@link #SUMMARY} of that many such drops.
     */
    static Map<String, String> ebpfFields(KernelEvent event, long count, Instant last) {
        Map<String, String> f = new LinkedHashMap<>();
        KernelDrop drop = ebpfDrop(event, List.of(event.time()), 1);
        boolean summary = count > 1 || last != null;
        put(f, JournalKey.MESSAGE, ebpfMessage(drop, summary, count, event.time(), last));
        put(f, JournalKey.PCAPUNIT_EVENT, summary ? SUMMARY : KFREE_SKB);
        putPresent(f, event, KEYS);
        putPresent(f, event, EBPF_KEYS);
        put(f, JournalKey.PCAPUNIT_COMPONENT, Components.of(event.field("location"), event.field("reason")));
        put(f, JournalKey.PCAPUNIT_DROP_SOURCE, KernelDrop.EBPF);
        put(f, JournalKey.PCAPUNIT_CONFIDENCE, "OBSERVED");
        if (summary) {
            put(f, JournalKey.PCAPUNIT_SUMMARY_EVENT, KFREE_SKB);
            put(f, JournalKey.PCAPUNIT_SUMMARY_COUNT, Long.toString(count));
            put(f, JournalKey.PCAPUNIT_SUMMARY_LAST, (last == null ? event.time() : last).toString());
        }
        if (event.pid() > 0) {
            put(f, JournalKey.PID, Long.toString(event.pid()));
            put(f, JournalKey.COMM, event.comm());
        }
        return f;
    }

    /**
     * The {@code MESSAGE} of an eBPF entry whose record, narrowed to its one drop, is {@code one}:
     * that record's line, or for a {@link #SUMMARY} of {@code count} such drops from {@code first}
     * to {@code last}, {@code "eBPF: 12 more kfree_skb drops (<line>) counted, not kept one by one,
     * from <first> to <last>"}.
     */
    private static String ebpfMessage(KernelDrop one, boolean summary, long count, Instant first, Instant last) {
        return summary ? "eBPF: " + count + " more kfree_skb drops (" + one.line() + ") counted, not kept one by one,"
                + " from " + first + " to " + last : one.line();
    }

    /** The record of eBPF drops like {@code e} at {@code times} ({@code count} packets). */
    static KernelDrop ebpfDrop(KernelEvent e, List<Instant> times, long count) {
        String reason = e.field("reason").isEmpty() ? "NOT_SPECIFIED" : e.field("reason");
        String ipproto = e.field("ipproto");
        boolean flow = !e.field("saddr").isEmpty() && !e.field("daddr").isEmpty();
        return new KernelDrop(reason, e.field("location"), Components.of(e.field("location"), reason),
                flow ? ipproto : e.field("protocol").isEmpty() ? "IP" : e.field("protocol"), e.field("saddr"),
                e.intField("sport"), e.field("daddr"), e.intField("dport"), e.field("flags"),
                e.pid() > 0 ? e.comm() : "", e.pid() > 0 ? e.pid() : -1, times, count, e.field("hook"),
                e.field("netns"), e.intField("ttl"), KernelDrop.EBPF, true);
    }

    /** The records of eBPF drop events: one per kind (flow, place, owner), with every drop's time. */
    static List<KernelDrop> ebpfDrops(List<KernelEvent> events) {
        return new ArrayList<>(ebpfRecords(events).values());
    }

    /** {@link #ebpfDrops} by kind ({@link BpfSubscription#kind}), in the order of their first drop. */
    private static Map<List<String>, KernelDrop> ebpfRecords(List<KernelEvent> events) {
        Map<List<String>, List<KernelEvent>> byKind = new LinkedHashMap<>();
        List<KernelEvent> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparing(KernelEvent::time));
        for (KernelEvent e : sorted) {
            byKind.computeIfAbsent(BpfSubscription.kind(e, true), k -> new ArrayList<>()).add(e);
        }
        Map<List<String>, KernelDrop> out = new LinkedHashMap<>();
        for (Map.Entry<List<String>, List<KernelEvent>> same : byKind.entrySet()) {
            List<KernelEvent> s = same.getValue();
            out.put(same.getKey(), ebpfDrop(s.get(0), s.stream().map(KernelEvent::time).toList(), s.size()));
        }
        return out;
    }

    /**
     * {@code PCAPUNIT_EVENT} of an entry that counts kernel events not kept one by one (see
     * {@link KernelRecorder#MAX_EVENTS}); readers of kernel events skip it, so it never becomes
     * a drop record of its own.
     */
    public static final String SUMMARY = "kernel_trace_summary";
    /**
     * The journal fields of a summary. Of drops eBPF counted ({@code source=EBPF}), those of its
     * example with the count ({@link #ebpfFields}); of tracefs events, {@code MESSAGE} such as
     * "kernel trace: 190385 more kfree_skb events (reason NO_SOCKET, location __udp4_lib_rcv,
     * protocol IPv4) counted, not kept one by one, from ... to ...", the key fields as in an
     * event's entry, the count and the last time.
     */
    public static Map<String, String> fields(KernelSummary summary) {
        KernelEvent e = summary.example();
        if (BpfLines.EBPF.equals(e.field("source"))) {
            return ebpfFields(e, summary.count(), summary.last());
        }
        Map<String, String> f = new LinkedHashMap<>();
        StringBuilder what = new StringBuilder();
        for (String k : KernelRecorder.KEY_FIELDS) {
            String v = e.field(k);
            if (!v.isEmpty()) {
                what.append(what.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
            }
        }
        put(f, JournalKey.MESSAGE, "kernel trace: " + summary.count() + " more " + e.name() + " event"
                + (summary.count() == 1 ? "" : "s") + (what.length() == 0 ? "" : " (" + what + ")")
                + " counted, not kept one by one, from " + summary.first() + " to " + summary.last());
        put(f, JournalKey.PCAPUNIT_EVENT, SUMMARY);
        putPresent(f, e, KEYS);
        if (e.name().equals(KFREE_SKB)) {
            put(f, JournalKey.PCAPUNIT_COMPONENT, Components.of(e.field("location"), e.field("reason")));
        }
        put(f, JournalKey.PCAPUNIT_SUMMARY_EVENT, e.name());
        put(f, JournalKey.PCAPUNIT_SUMMARY_COUNT, Long.toString(summary.count()));
        put(f, JournalKey.PCAPUNIT_SUMMARY_LAST, summary.last().toString());
        return f;
    }

    /**
     * A {@link #SUMMARY} entry for {@code count} events the recorder never read, so neither kept
     * nor summarized by kind ({@code PCAPUNIT_SUMMARY_EVENT=*}); {@code why} says what happened,
     * e.g. "left in the trace buffer when stop() stopped waiting for the reader after 500 ms".
     */
    public static Map<String, String> unreadFields(long count, String why) {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, JournalKey.MESSAGE, "kernel trace: " + count + " event" + (count == 1 ? "" : "s") + " " + why);
        put(f, JournalKey.PCAPUNIT_EVENT, SUMMARY);
        put(f, JournalKey.PCAPUNIT_SUMMARY_EVENT, "*");
        put(f, JournalKey.PCAPUNIT_SUMMARY_COUNT, Long.toString(count));
        return f;
    }

    private static void put(Map<String, String> fields, JournalKey key, String value) {
        fields.put(key.fieldName(), value);
    }

    /** Puts each of {@code keys}' fields that {@code event} has, in {@code keys}' order. */
    private static void putPresent(Map<String, String> fields, KernelEvent event, Map<String, JournalKey> keys) {
        for (Map.Entry<String, JournalKey> k : keys.entrySet()) {
            String value = event.field(k.getKey());
            if (!value.isEmpty()) {
                put(fields, k.getValue(), value);
            }
        }
    }

    /**
     * The kernel event an entry describes, or empty when the entry is something else (a mark, a
     * firewall verdict, an evidence status, another tool's entry).
     *
     * @throws CaptureException when a kernel event entry has a malformed number or a blank field
     *         (names the field)
     */
    public static Optional<KernelEvent> event(JournalEntry entry) {
        String name = entry.getOrDefault(JournalKey.PCAPUNIT_EVENT, "");
        if (!KERNEL_EVENTS.contains(name)) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean ebpf = KernelDrop.EBPF.equals(entry.getOrDefault(JournalKey.PCAPUNIT_DROP_SOURCE, ""));
        boolean kfree = name.equals(KFREE_SKB) && !ebpf;
        for (Map.Entry<String, JournalKey> k : KEYS.entrySet()) {
            String value = entry.get(k.getValue()).orElse(null);
            if (value != null && value.isBlank()) {
                // pcapunit writes no empty field: a blank one would become a record such as
                // "Drop: reason , component kernel"
                throw malformed(entry, k.getValue() + "=\"" + value + "\" (blank)", null);
            }
            // a kfree_skb's flow fields are the correlation's result, not the event's own fields
            if (value != null && !(kfree && List.of("saddr", "daddr", "sport", "dport").contains(k.getKey()))) {
                values.put(k.getKey(), value);
            }
        }
        if (ebpf) {
            values.put("source", KernelDrop.EBPF);
            for (Map.Entry<String, JournalKey> k : EBPF_KEYS.entrySet()) {
                String value = entry.get(k.getValue()).orElse(null);
                if (value != null && value.isBlank()) {
                    throw malformed(entry, k.getValue() + "=\"" + value + "\" (blank)", null);
                }
                if (value != null) {
                    values.put(k.getKey(), value);
                }
            }
            if (entry.has(JournalKey.PCAPUNIT_TTL)) {
                number(entry, JournalKey.PCAPUNIT_TTL, -1);
            }
            int sport = port(entry, JournalKey.PCAPUNIT_SPORT);
            int dport = port(entry, JournalKey.PCAPUNIT_DPORT);
            String saddr = values.getOrDefault("saddr", "");
            String daddr = values.getOrDefault("daddr", "");
            if (!saddr.isEmpty() || !daddr.isEmpty()) {
                try {
                    Endpoint.of(saddr, Math.max(sport, 0));
                    Endpoint.of(daddr, Math.max(dport, 0));
                } catch (IllegalArgumentException ex) {
                    throw malformed(entry, "addresses " + saddr + " \u2192 " + daddr, ex);
                }
            }
        }
        int cpu = (int) number(entry, JournalKey.PCAPUNIT_CPU, -1);
        long pid = number(entry, JournalKey.PID, -1);
        return Optional.of(new KernelEvent(name, entry.timestamp(), cpu, pid,
                entry.getOrDefault(JournalKey.COMM, ""), values));
    }

    /**
     * The kernel drop records of journal entries (other entries are ignored): the eBPF records
     * (one whose packet had no socket tied to the process that connect()ed its flow when only one
     * did, {@link KernelDrops#tieToConnects}), the kept events
     * correlated as the live capture did, then one record per {@link #SUMMARY} of {@code kfree_skb}
     * events, with its count, its first and last time and its flow when the entry names one
     * (a summary without one is a record without a flow, like an unattributed kept drop).
     *
     * @throws CaptureException when a kernel entry is malformed (names the entry and field)
     */
    public static List<KernelDrop> drops(List<JournalEntry> entries) {
        List<KernelEvent> events = new ArrayList<>();
        List<KernelEvent> ebpf = new ArrayList<>();
        List<KernelDrop> summarized = new ArrayList<>();
        for (JournalEntry e : entries) {
            event(e).ifPresent(ev -> (BpfLines.EBPF.equals(ev.field("source")) ? ebpf : events).add(ev));
            if (e.isEvent(SUMMARY) && KFREE_SKB.equals(e.getOrDefault(JournalKey.PCAPUNIT_SUMMARY_EVENT, ""))) {
                summarized.add(summaryDrop(e));
            }
        }
        // an eBPF drop where the packet had no socket (the receiver's INPUT) names the process that
        // connect()ed its flow when the journal's tracefs connects show only one
        List<KernelDrop> drops = new ArrayList<>(KernelDrops.tieToConnects(ebpfDrops(ebpf), events));
        drops.addAll(KernelDrops.correlate(events));
        drops.addAll(KernelDrops.tieToConnects(summarized, events));
        return drops;
    }

    /**
     * The entries as a listing shows them: each eBPF drop entry (one drop, or a {@link #SUMMARY} of
     * eBPF drops) whose record {@link #drops} ties to the process that {@code connect()}ed its flow
     * ({@link KernelDrops#tieToConnects}: the packet had no socket where it was dropped, and the
     * journal holds that flow's only connect) gets the {@code MESSAGE} that record gives, e.g.
     * {@code "Drop: reason NETFILTER_DROP, ..., hook INPUT in namespace db, ttl 64, sent by process
     * java (pid 4242), which connect()ed this flow (inferred: the kernel journal's only connect() to
     * it) [eBPF, observed]"}; the capture wrote it before the journal was whole, naming no process.
     * An entry's drop is tied exactly when the record holding it is (drops() groups an eBPF drop
     * with the others of its kind and ties the group by its first drop; a summary is its own
     * record), so the listing, the verdict's Drop line and the packet comments say the same. Every
     * other field, and every other entry, is as written (the same objects); the list itself when
     * nothing is tied. A malformed kernel entry leaves every entry as written: the analysis of the
     * file reports it ({@link #drops} throws, naming the entry and field).
     *
     * <pre>{@code
     * List<JournalEntry> shown = KernelJournal.withConnectors(reader.journalEntries());
     * }</pre>
     */
    public static List<JournalEntry> withConnectors(List<JournalEntry> entries) {
        List<KernelEvent> events = new ArrayList<>();
        List<KernelEvent> ebpf = new ArrayList<>();
        Map<Integer, KernelEvent> ebpfAt = new LinkedHashMap<>();
        Map<Integer, KernelDrop> summaryAt = new LinkedHashMap<>();
        try {
            for (int i = 0; i < entries.size(); i++) {
                JournalEntry e = entries.get(i);
                Optional<KernelEvent> ev = event(e);
                if (ev.isPresent() && BpfLines.EBPF.equals(ev.get().field("source"))) {
                    ebpf.add(ev.get());
                    ebpfAt.put(i, ev.get());
                } else if (ev.isPresent()) {
                    events.add(ev.get());
                } else if (e.isEvent(SUMMARY) && KFREE_SKB.equals(e.getOrDefault(JournalKey.PCAPUNIT_SUMMARY_EVENT, ""))
                        && KernelDrop.EBPF.equals(e.getOrDefault(JournalKey.PCAPUNIT_DROP_SOURCE, ""))) {
                    summaryAt.put(i, summaryDrop(e));
                }
            }
        } catch (CaptureException malformed) {
            return entries; // the analysis reports it
        }
        if (ebpf.isEmpty() && summaryAt.isEmpty()) {
            return entries;
        }
        // the records drops() gives, tied as it ties them
        Map<List<String>, KernelDrop> records = ebpfRecords(ebpf);
        List<KernelDrop> tied = KernelDrops.tieToConnects(new ArrayList<>(records.values()), events);
        Map<List<String>, KernelDrop> tiedByKind = new LinkedHashMap<>();
        int k = 0;
        for (List<String> kind : records.keySet()) {
            tiedByKind.put(kind, tied.get(k++));
        }
        List<KernelDrop> summaries = KernelDrops.tieToConnects(new ArrayList<>(summaryAt.values()), events);
        List<JournalEntry> out = null;
        for (Map.Entry<Integer, KernelEvent> at : ebpfAt.entrySet()) {
            KernelDrop r = tiedByKind.get(BpfSubscription.kind(at.getValue(), true));
            if (r != null && r.connector()) {
                JournalEntry e = entries.get(at.getKey());
                out = replace(out, entries, at.getKey(), e, r.single(e.timestamp()).line());
            }
        }
        int s = 0;
        for (int i : summaryAt.keySet()) {
            KernelDrop r = summaries.get(s++);
            if (r.connector()) {
                JournalEntry e = entries.get(i);
                Instant first = r.times().get(0);
                out = replace(out, entries, i, e, ebpfMessage(r.single(first), true, r.count(), first,
                        r.times().get(r.times().size() - 1)));
            }
        }
        return out == null ? entries : out;
    }

    /** {@code out} (a copy of {@code entries} made on first use) with entry {@code i} saying {@code message}. */
    private static List<JournalEntry> replace(List<JournalEntry> out, List<JournalEntry> entries, int i, JournalEntry e,
            String message) {
        List<JournalEntry> copy = out != null ? out : new ArrayList<>(entries);
        Map<String, String> fields = new LinkedHashMap<>(e.fields());
        fields.put(JournalKey.MESSAGE.fieldName(), message);
        try {
            copy.set(i, JournalEntry.of(e.timestamp(), fields));
        } catch (IllegalArgumentException badFieldName) {
            // a field name pcapunit would not write: the entry stays as it is
        }
        return copy;
    }

    /** The drop record of a kfree_skb summary entry. */
    private static KernelDrop summaryDrop(JournalEntry e) {
        long count = number(e, JournalKey.PCAPUNIT_SUMMARY_COUNT, -1);
        if (count < 1) {
            throw malformed(e, JournalKey.PCAPUNIT_SUMMARY_COUNT + "=" + count + " (not a count of events)", null);
        }
        Instant first = e.timestamp();
        Instant last = first;
        Optional<String> lastText = e.get(JournalKey.PCAPUNIT_SUMMARY_LAST);
        if (lastText.isPresent()) {
            try {
                last = Instant.parse(lastText.get());
            } catch (java.time.format.DateTimeParseException ex) {
                throw malformed(e, JournalKey.PCAPUNIT_SUMMARY_LAST + "=\"" + lastText.get() + "\" (not an ISO-8601 time)",
                        ex);
            }
            if (last.isBefore(first)) {
                throw malformed(e, JournalKey.PCAPUNIT_SUMMARY_LAST + "=" + last + " (before the entry's own time)", null);
            }
        }
        List<Instant> times = last.equals(first) || count == 1 ? List.of(first) : List.of(first, last);
        if (KernelDrop.EBPF.equals(e.getOrDefault(JournalKey.PCAPUNIT_DROP_SOURCE, ""))) {
            Map<String, String> fields = new LinkedHashMap<>(e.fields());
            fields.put(JournalKey.PCAPUNIT_EVENT.fieldName(), KFREE_SKB);
            fields.remove(JournalEntry.REALTIME_TIMESTAMP);
            KernelEvent ev = event(JournalEntry.of(e.timestamp(), fields)).orElseThrow();
            return ebpfDrop(ev, times, count);
        }
        String reason = e.getOrDefault(JournalKey.PCAPUNIT_REASON, "").strip();
        reason = reason.isEmpty() ? "NOT_SPECIFIED" : reason; // as for a kept event of a kernel without reasons
        String location = e.getOrDefault(JournalKey.PCAPUNIT_LOCATION, "").strip();
        String component = Components.of(location, reason);
        String saddr = e.getOrDefault(JournalKey.PCAPUNIT_SADDR, "").strip();
        String daddr = e.getOrDefault(JournalKey.PCAPUNIT_DADDR, "").strip();
        if (!saddr.isEmpty() && !daddr.isEmpty()) {
            int sport = port(e, JournalKey.PCAPUNIT_SPORT);
            int dport = port(e, JournalKey.PCAPUNIT_DPORT);
            try {
                Endpoint.of(saddr, Math.max(sport, 0));
                Endpoint.of(daddr, Math.max(dport, 0));
            } catch (IllegalArgumentException ex) {
                throw malformed(e, "addresses " + saddr + " \u2192 " + daddr, ex);
            }
            return new KernelDrop(reason, location, component, "TCP", saddr, sport, daddr, dport, "", "", -1, times,
                    count);
        }
        String protocol = e.getOrDefault(JournalKey.PCAPUNIT_PROTOCOL, "").strip();
        return new KernelDrop(reason, location, component, protocol.isEmpty() ? "IP" : protocol, "", -1, "", -1, "", "",
                -1, times, count);
    }

    /**
     * A packet the firewall dropped, read back from a {@code nftrace} entry.
     *
     * @param time        when the verdict was read
     * @param table       family and table, e.g. {@code inet filter}
     * @param chain       chain name
     * @param handle      rule handle, -1 for a chain policy
     * @param comment     rule comment, empty when none
     * @param flow        the traced packet's flow, when its addresses were traced
     * @param description the entry's message, e.g. {@code Drop: verdict drop by rule table inet filter ...}
     */
    public record FirewallVerdict(Instant time, String table, String chain, long handle, Optional<String> comment,
            Optional<Flow> flow, String description) {
    }

    /**
     * The firewall verdicts of journal entries (other entries are ignored).
     *
     * @throws CaptureException when an {@code nftrace} entry has a malformed number (names the field)
     */
    public static List<FirewallVerdict> firewallVerdicts(List<JournalEntry> entries) {
        List<FirewallVerdict> out = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.isEvent(NFTRACE)) {
                out.add(firewallVerdict(e));
            }
        }
        return out;
    }

    private static FirewallVerdict firewallVerdict(JournalEntry e) {
        // pcapunit writes these non-blank (only the rule comment may be empty)
        for (JournalKey key : List.of(JournalKey.MESSAGE, JournalKey.PCAPUNIT_NFT_TABLE, JournalKey.PCAPUNIT_NFT_CHAIN,
                JournalKey.PCAPUNIT_SADDR, JournalKey.PCAPUNIT_DADDR, JournalKey.PCAPUNIT_PROTOCOL)) {
            if (e.get(key).filter(String::isBlank).isPresent()) {
                throw malformed(e, key + "=\"" + e.get(key).orElseThrow() + "\" (blank)", null);
            }
        }
        Optional<Flow> flow = Optional.empty();
        if (e.has(JournalKey.PCAPUNIT_SADDR) && e.has(JournalKey.PCAPUNIT_DADDR)) {
            IpProtocol p = switch (e.getOrDefault(JournalKey.PCAPUNIT_PROTOCOL, "")) {
                case "tcp" -> IpProtocol.TCP;
                case "udp" -> IpProtocol.UDP;
                case "icmp" -> IpProtocol.ICMP;
                case "ipv6-icmp", "icmpv6" -> IpProtocol.ICMPV6;
                default -> IpProtocol.OTHER;
            };
            try {
                flow = Optional.of(Flow.of(p,
                        Endpoint.of(e.get(JournalKey.PCAPUNIT_SADDR).orElseThrow(), port(e, JournalKey.PCAPUNIT_SPORT)),
                        Endpoint.of(e.get(JournalKey.PCAPUNIT_DADDR).orElseThrow(), port(e, JournalKey.PCAPUNIT_DPORT))));
            } catch (IllegalArgumentException ex) {
                throw malformed(e, "addresses " + e.get(JournalKey.PCAPUNIT_SADDR).orElseThrow() + " → "
                        + e.get(JournalKey.PCAPUNIT_DADDR).orElseThrow(), ex);
            }
        }
        String comment = e.getOrDefault(JournalKey.PCAPUNIT_NFT_COMMENT, "");
        return new FirewallVerdict(e.timestamp(), e.getOrDefault(JournalKey.PCAPUNIT_NFT_TABLE, "?"),
                e.getOrDefault(JournalKey.PCAPUNIT_NFT_CHAIN, "?"), number(e, JournalKey.PCAPUNIT_NFT_HANDLE, -1),
                comment.isEmpty() ? Optional.empty() : Optional.of(comment), flow,
                e.getOrDefault(JournalKey.MESSAGE, "firewall drop"));
    }

    private static int port(JournalEntry e, JournalKey key) {
        long port = number(e, key, -1);
        if (port < -1 || port > 65535) {
            throw malformed(e, key + "=" + port + " (not a port)", null);
        }
        return (int) port;
    }

    private static long number(JournalEntry e, JournalKey key, long fallback) {
        Optional<String> value = e.get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.get());
        } catch (NumberFormatException ex) {
            throw malformed(e, key + "=\"" + value.get() + "\" (not a number)", ex);
        }
    }

    private static CaptureException malformed(JournalEntry e, String what, Exception cause) {
        return new CaptureException("journal entry " + e.getOrDefault(JournalKey.PCAPUNIT_EVENT, "?") + " at "
                + e.timestamp() + " has " + what + ": the file was not written by pcapunit, or was edited", cause);
    }

    private static String message(KernelEvent e) {
        String flow = e.field("protocol") + " " + e.field("saddr") + ":" + e.field("sport") + " \u2192 "
                + e.field("daddr") + ":" + e.field("dport");
        // The task is the socket's owner only for a state change into SYN_SENT, which runs inside the
        // connect() call; retransmissions, resets and other state changes run in timers and softirqs
        // under whatever task was current, so naming it would blame a bystander.
        boolean ownerKnown = e.name().equals("inet_sock_set_state") && "TCP_SYN_SENT".equals(e.field("newstate"));
        String process = ownerKnown && e.hasProcess() ? ", process " + e.comm() + " (pid " + e.pid() + ")" : "";
        return switch (e.name()) {
            case "inet_sock_set_state" -> "TCP state " + e.field("oldstate") + " \u2192 " + e.field("newstate")
                    + ", " + flow + process;
            case "tcp_retransmit_skb" -> "TCP retransmission in " + e.field("newstate") + ", " + flow;
            case "tcp_send_reset" -> "TCP reset sent (" + e.field("reason") + "), " + flow;
            case "tcp_receive_reset" -> "TCP reset received, " + flow;
            default -> e.name() + " " + e.fields();
        };
    }
}
