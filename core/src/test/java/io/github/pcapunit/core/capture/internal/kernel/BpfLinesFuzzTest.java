package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.pcapng.JournalEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz target for {@link BpfLines}, the reader of bpftrace's output (the program of
 * {@link BpfProgram}): any output, split into lines as {@link BpfRecorder}'s reader splits it,
 * <ul>
 * <li>never throws (BpfLines documents no exception: one would stop the recorder's reader);</li>
 * <li>gives only well-formed drops: a {@code kfree_skb} event with {@code source=EBPF}, a time
 * not before the epoch, no blank (whitespace) field, ports 0-65535, a TTL 0-255, a known hook, the socket
 * owner's pid or -1;</li>
 * <li>round-trips: every drop written as its journal entry ({@link KernelJournal#ebpfFields})
 * reads back ({@link KernelJournal#event}, {@link KernelJournal#drops}) as the same fields and
 * the same record line - a drop the reader accepted must never make the capture file unreadable;</li>
 * <li>respects the recorder's caps ({@link BpfSubscription#keep}): at most {@link BpfSubscription#MAX_PER_KIND}
 * per kind and {@link BpfSubscription#MAX_EVENTS} plus the first drops of {@link BpfSubscription#MAX_FIRST_KINDS}
 * kinds kept, every other drop counted in a summary;</li>
 * <li>resynchronises: after any garbage and a blank line, a real record reads exactly as alone.</li>
 * </ul>
 * The seeds are real output of the program on this machine's kernel (drops on OUTPUT and INPUT
 * in two namespaces, IPv4 and IPv6, TCP, UDP, ICMP, NO_SOCKET on loopback). Lives in the kernel
 * package because BpfLines is package-private.
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=BpfLinesFuzzTest
 * </pre>
 */
class BpfLinesFuzzTest {

    /** A record of the seeds: a SYN dropped on OUTPUT in a namespace, with its socket's owner. */
    private static final List<String> KNOWN = List.of(
            "D 419234170020 12 nft_do_chain 2048 4 10.200.91.10 10.200.91.20 6 42640 1301 2 64 4026532178 11414 python3|",
            "        sk_skb_reason_drop+144",
            "        nft_do_chain+1135",
            "        nf_hook_slow+67",
            "        __ip_local_out+348",
            "");
    private static final Set<String> HOOKS = Set.of("OUTPUT", "INPUT", "FORWARD", "POSTROUTING", "PREROUTING");

    @FuzzTest(maxDuration = "15s")
    void anyBpftraceOutput_givesWellFormedDropsThatReadBack(FuzzedDataProvider data) {
        // integers come from the input's end, so a seed's text stays its text
        int repeat = data.consumeInt(0, 255) == 255 ? 600 : 1; // now and then enough drops to reach the caps
        long offset = data.consumeLong(0, 2_000_000_000_000_000_000L); // wall minus monotonic clock: up to 2033
        List<String> lines = lines(data.consumeRemainingAsString());

        BpfLines reader = reader(offset);
        BpfSubscription recorder = BpfSubscription.forLimitsTest();
        long drops = 0;
        for (int r = 0; r < repeat; r++) {
            for (String line : lines) {
                if (reader.accept(line) == BpfLines.Kind.DROP) {
                    KernelEvent e = reader.last();
                    if (r == 0) {
                        assertWellFormed(e);
                        assertReadsBack(e);
                    }
                    recorder.keep(e);
                    drops++;
                }
            }
        }
        assertThat(reader.skipped()).isNotNegative();
        assertThat(reader.lost()).isNotNegative();
        assertCaps(recorder, drops);

        BpfLines again = reader(offset);
        BpfLines alone = reader(offset);
        List<String> garbageThenKnown = new ArrayList<>(lines);
        garbageThenKnown.add("");
        garbageThenKnown.addAll(KNOWN);
        assertThat(lastDrop(again, garbageThenKnown)).as("a real record after garbage and a blank line")
                .isEqualTo(lastDrop(alone, KNOWN));
    }

    private static BpfLines reader(long offset) {
        Map<Long, String> names = new HashMap<>();
        return new BpfLines(offset, n -> n == 12 ? "NETFILTER_DROP" : n == 3 ? "NO_SOCKET" : "REASON_" + n,
                ino -> ino == 4026532178L ? "qseed-a" : "net:[" + ino + "]",
                pid -> names.computeIfAbsent(pid, p -> p % 3 == 0 ? "" : "proc" + p));
    }

    /** The lines as the recorder's BufferedReader.readLine gives them (\n, \r or \r\n end a line). */
    private static List<String> lines(String text) {
        try (BufferedReader in = new BufferedReader(new StringReader(text))) {
            return in.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KernelEvent lastDrop(BpfLines reader, List<String> lines) {
        KernelEvent last = null;
        for (String line : lines) {
            if (reader.accept(line) == BpfLines.Kind.DROP) {
                last = reader.last();
            }
        }
        return last;
    }

    private static void assertWellFormed(KernelEvent e) {
        assertThat(e.name()).isEqualTo(KernelJournal.KFREE_SKB);
        assertThat(e.field("source")).isEqualTo(BpfLines.EBPF);
        assertThat(e.time()).isAfterOrEqualTo(Instant.EPOCH);
        // an empty value is as good as none (a TCP packet without flags); a blank one is refused on reading
        e.fields().forEach((k, v) -> assertThat(v.isEmpty() || !v.isBlank()).as("field %s of %s", k, e).isTrue());
        for (String port : List.of("sport", "dport")) {
            if (!e.field(port).isEmpty()) {
                assertThat(e.intField(port)).as("%s of %s", port, e).isBetween(0, 65535);
            }
        }
        if (!e.field("ttl").isEmpty()) {
            assertThat(e.intField("ttl")).as("ttl of %s", e).isBetween(0, 255);
        }
        if (!e.field("hook").isEmpty()) {
            assertThat(HOOKS).contains(e.field("hook"));
        }
        assertThat(e.pid() == -1 || e.pid() > 0).as("pid of %s", e).isTrue();
        if (e.pid() == -1) {
            assertThat(e.comm()).isEmpty();
        }
    }

    /** The journal entry of {@code e} reads back as {@code e}: the capture file stays readable. */
    private static void assertReadsBack(KernelEvent e) {
        JournalEntry entry = JournalEntry.of(e.time(), KernelJournal.ebpfFields(e, 1, null));
        KernelEvent back = KernelJournal.event(entry).orElseThrow();
        Map<String, String> written = new HashMap<>(e.fields());
        written.values().removeIf(String::isEmpty);
        assertThat(back.fields()).as("read back from %s", entry.fields()).isEqualTo(written);
        assertThat(back.pid()).isEqualTo(e.pid());
        if (e.pid() > 0) {
            assertThat(back.comm()).isEqualTo(e.comm());
        }
        List<KernelDrop> records = KernelJournal.drops(List.of(entry));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).count()).isEqualTo(1);
        assertThat(records.get(0).line()).isEqualTo(KernelJournal.ebpfDrop(e, List.of(e.time()), 1).line());
    }

    private static void assertCaps(BpfSubscription recorder, long drops) {
        List<KernelEvent> kept = recorder.events();
        List<KernelSummary> summaries = recorder.summaries();
        long counted = summaries.stream().mapToLong(KernelSummary::count).sum();
        assertThat(kept.size() + counted).as("every drop kept or counted").isEqualTo(drops);
        assertThat(recorder.overflow()).isEqualTo(counted);
        assertThat(kept.size()).isLessThanOrEqualTo(BpfSubscription.MAX_EVENTS
                + BpfSubscription.FIRST_PER_KIND * BpfSubscription.MAX_FIRST_KINDS);
        Map<List<String>, Integer> perKind = new HashMap<>();
        for (KernelEvent e : kept) {
            perKind.merge(BpfSubscription.kind(e, true), 1, Integer::sum);
        }
        assertThat(perKind.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(BpfSubscription.MAX_PER_KIND));
        summaries.forEach(s -> {
            assertThat(s.count()).isPositive();
            assertThat(s.last()).isAfterOrEqualTo(s.first());
        });
    }
}
