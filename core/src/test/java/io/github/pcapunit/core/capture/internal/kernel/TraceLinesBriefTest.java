package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorder reads events past its limit with {@link TraceLines#brief} (no regex) and counts
 * them by {@link KernelRecorder#dropKey}: that must give the same time and summary key as
 * the full parse, or a flood would be summarized differently from the events before it.
 */
class TraceLinesBriefTest {

    private static final long OFFSET = 1_700_000_000_000_000_000L;
    private final TraceLines lines = new TraceLines(OFFSET);

    @Test
    void kfreeSkbLinesOfSeveralShapes_briefGivesTheFullParsesTimeAndSummaryKey() {
        List<String> drops = List.of(
                // kernel 6.18 with record-tgid, as the recorder configures it
                "            java-41532   (  41498) [001] b..1.  4711.123456: kfree_skb: skbaddr=00000000f00dbabe"
                        + " rx_sk=0000000000000000 protocol=2048 location=__udp4_lib_rcv+0x6a8/0xa90 reason: NO_SOCKET",
                // softirq context, IPv6, nanosecond clock digits
                "          <idle>-0       [000] ..s2.  2856.060109123: kfree_skb: skbaddr=00000000554b7388"
                        + " rx_sk=0000000000000000 protocol=34525 location=ip6_pkt_discard+0x11/0x20 reason: IP_INNOROUTES",
                // a comm with spaces and dashes, no flags column
                "  Test worker-1-19001 (  18937) [001]  10.000001: kfree_skb: protocol=2048"
                        + " location=nf_hook_slow+0x1/0x2 reason: NETFILTER_DROP",
                // an older kernel: no reason at all
                "  python3-11816 [003] .... 99.5: kfree_skb: skbaddr=0000000011112222 protocol=2054"
                        + " location=arp_rcv+0x10/0x20");

        for (String line : drops) {
            KernelEvent full = lines.parse(line).orElseThrow();
            TraceLines.Drop brief = lines.brief(line);

            assertThat(brief).as(line).isNotNull();
            assertThat(brief.epochNanos()).as(line)
                    .isEqualTo(full.time().getEpochSecond() * 1_000_000_000L + full.time().getNano());
            for (boolean fine : new boolean[] {true, false}) {
                assertThat(KernelRecorder.dropKey(brief.reason(), brief.location(), brief.protocol(), fine))
                        .as(line).isEqualTo(KernelRecorder.key(full, fine));
            }
        }
    }

    @Test
    void briefOfAWellFormedDrop_hasTheFunctionAndTheProtocolName() {
        TraceLines.Drop d = lines.brief("  java-7 [000] ..s1. 5.25: kfree_skb: skbaddr=0 rx_sk=0 protocol=2048"
                + " location=__udp4_lib_rcv+0x6a8/0xa90 reason: NO_SOCKET");

        assertThat(d).isEqualTo(new TraceLines.Drop("NO_SOCKET", "__udp4_lib_rcv", "IPv4",
                5_250_000_000L + OFFSET));
    }

    @Test
    void otherEventsMarkersAndGarbage_areLeftToTheFullParse() {
        assertThat(lines.brief("          <idle>-0       [000] ..s2.  2856.060112: tcp_retransmit_skb: skbaddr=0"
                + " sport=39322 dport=1433")).isNull();
        assertThat(lines.brief("            java-1 [000] .....  12.5: tracing_mark_write: pcapunit-stop-x")).isNull();
        assertThat(lines.brief("# tracer: nop")).isNull();
        assertThat(lines.brief("garbage: kfree_skb: reason: NO_SOCKET")).isNull();
        assertThat(lines.brief("java-1 [000] ... x.5: kfree_skb: reason: NO_SOCKET")).isNull();
        // a time past the 64-bit nanosecond range: parse() ignores the line, brief() must not wrap it
        String farFuture = "java-1 [000] ... 99999999999.5: kfree_skb: protocol=2048 reason: NO_SOCKET";
        assertThat(lines.parse(farFuture)).isEmpty();
        assertThat(lines.brief(farFuture)).isNull();
    }
}
