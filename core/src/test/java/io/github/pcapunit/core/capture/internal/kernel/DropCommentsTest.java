package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.DecodeBytes;
import io.github.pcapunit.core.capture.internal.JournalFields;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.LinkType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine comments dropped packets from the journal entries it writes: the packet of the
 * drop's flow nearest to each drop instant within 100 ms, with the drop's line.
 */
class DropCommentsTest {

    private static final long T0 = Instant.parse("2026-11-23T10:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final String VERDICT = "Drop: verdict drop by rule table inet filter chain input handle 7 comment"
            + " \"block db\", TCP 10.200.1.10:50122 \u2192 10.200.1.20:1433 SYN";

    @Test
    void firewallVerdict_commentsTheNearestPacketOfItsFlow_only() {
        DropComments comments = DropComments.of(List.of(verdict(T0 + 30_000_000L))).orElseThrow();
        byte[] syn = syn("10.200.1.10", 50122, "10.200.1.20", 1433);
        byte[] other = syn("10.200.1.10", 50123, "10.200.1.20", 1433);

        comments.observe(1, T0, LinkType.ETHERNET.value(), syn, syn.length);
        comments.observe(2, T0 + 20_000_000L, LinkType.ETHERNET.value(), other, other.length);
        comments.observe(3, T0 + 1_000_000_000L, LinkType.ETHERNET.value(), syn, syn.length); // retransmission, 970 ms on

        assertThat(comments.comments(1)).containsExactly("pcapunit: " + VERDICT);
        assertThat(comments.comments(2)).as("another flow").isEmpty();
        assertThat(comments.comments(3)).as("too far from the drop").isEmpty();
        assertThat(comments.commentedFrames()).isEqualTo(1);
    }

    @Test
    void dropMoreThanToleranceFromEveryPacket_commentsNothing() {
        DropComments comments = DropComments.of(List.of(verdict(T0 + 150_000_000L))).orElseThrow();
        byte[] syn = syn("10.200.1.10", 50122, "10.200.1.20", 1433);
        comments.observe(1, T0, LinkType.ETHERNET.value(), syn, syn.length);

        assertThat(comments.comments(1)).isEmpty();
    }

    @Test
    void entriesWithoutFlowDrops_needNoCommenter() {
        Map<String, String> mark = new LinkedHashMap<>();
        mark.put(JournalKey.MESSAGE.fieldName(), "test started");
        mark.put(JournalKey.PCAPUNIT_EVENT.fieldName(), "mark");

        assertThat(DropComments.of(List.of(new JournalFields(Instant.ofEpochSecond(0, T0), mark)))).isEmpty();
        assertThat(DropComments.of(List.of())).isEmpty();
    }

    private static JournalFields verdict(long nanos) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(JournalKey.MESSAGE.fieldName(), VERDICT);
        f.put(JournalKey.PCAPUNIT_EVENT.fieldName(), KernelJournal.NFTRACE);
        f.put(JournalKey.PCAPUNIT_NFT_TABLE.fieldName(), "inet filter");
        f.put(JournalKey.PCAPUNIT_NFT_CHAIN.fieldName(), "input");
        f.put(JournalKey.PCAPUNIT_NFT_HANDLE.fieldName(), "7");
        f.put(JournalKey.PCAPUNIT_PROTOCOL.fieldName(), "tcp");
        f.put(JournalKey.PCAPUNIT_SADDR.fieldName(), "10.200.1.10");
        f.put(JournalKey.PCAPUNIT_DADDR.fieldName(), "10.200.1.20");
        f.put(JournalKey.PCAPUNIT_SPORT.fieldName(), "50122");
        f.put(JournalKey.PCAPUNIT_DPORT.fieldName(), "1433");
        return new JournalFields(Instant.ofEpochSecond(0, nanos), f);
    }

    private static byte[] syn(String src, int sport, String dst, int dport) {
        return DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, src, dst,
                DecodeBytes.tcp(sport, dport, 1000, 0, 0x02, 64240, 0)));
    }
}
