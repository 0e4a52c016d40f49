package io.github.pcapunit.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verdicts place a kernel drop where the eBPF record says it happened: its namespace (this host
 * when the capture ran there) and netfilter hook, observed; a tracefs record, which names no
 * place, keeps the lower-confidence wording. Files as the engine writes them: one Ethernet
 * interface described as the capture point's namespace, and one journal entry per dropped packet
 * with the keys the eBPF recorder writes ({@code KernelJournal.ebpfFields}).
 */
class EbpfPlacementTest {

    private static final String CLIENT = "10.200.61.10";
    private static final String SERVER = "10.200.62.20";
    /** The capture ran in the client's namespace, as CapturePoint.namespace("client") describes it. */
    private static final String IN_CLIENT = "to-router in network namespace client (/run/netns/client)";

    @TempDir
    Path dir;

    /** One eBPF drop of the client's SYN to {@code port}, dropped in {@code netns} at {@code hook}. */
    private static JournalEntry ebpf(long micros, int port, String netns, String hook, int ttl) {
        return ebpf(micros, CLIENT, DropFiles.CLIENT_PORT, SERVER, port, netns, hook, ttl);
    }

    private static JournalEntry ebpf(long micros, String saddr, int sport, String daddr, int dport, String netns,
            String hook, int ttl) {
        String flags = sport == DropFiles.CLIENT_PORT ? "SYN" : "SYN|ACK";
        return DropFiles.ebpf(micros, saddr, sport, daddr, dport).flags(flags).ttl(ttl).in(netns, hook).entry();
    }

    /** A tracefs summary of {@code count} drops of the same SYNs: a flow, but no namespace or hook. */
    private static JournalEntry tracefs(long micros, int port, long count) {
        return DropFiles.tracefsSummary(micros, CLIENT, SERVER, port, count);
    }

    /**
     * A capture described by {@code site}: the client's SYN to {@code port} captured twice in
     * {@code direction} ({@code null}: not captured), then {@code journal}.
     */
    private CapturedTraffic file(String name, String site, int port, Direction direction, List<JournalEntry> journal) {
        return file(name, List.of(site), port, direction, journal);
    }

    /** As {@link #file(String, String, int, Direction, List)}, one interface per site, the packets on the first. */
    private CapturedTraffic file(String name, List<String> sites, int port, Direction direction,
            List<JournalEntry> journal) {
        List<InterfaceDescription> idbs = sites.stream().map(site -> InterfaceDescription.builder()
                .linkType(LinkType.ETHERNET).name("if" + sites.indexOf(site)).description(site).build()).toList();
        return DropFiles.synFile(dir.resolve(name + ".pcapng"), idbs, CLIENT, SERVER, port,
                direction == null ? new long[0] : new long[] {0, 1_000_000},
                i -> PacketOptions.builder().direction(direction).build(), journal);
    }

    private static List<JournalEntry> twice(int port, String netns, String hook, int ttl) {
        List<JournalEntry> out = new ArrayList<>();
        out.add(ebpf(100, port, netns, hook, ttl));
        out.add(ebpf(1_000_100, port, netns, hook, ttl));
        return out;
    }

    private static Verdict only(CapturedTraffic traffic, int port) {
        return DropFiles.onlyVerdict(traffic, port);
    }

    @Test
    void dropOnTheCapturedNamespacesOutput_isDroppedOnThisHost_namingTheHook_observed() {
        // GIVEN the SYNs never reached the client's interface: the client's OUTPUT dropped both
        CapturedTraffic traffic = file("client-output", IN_CLIENT, 1101, null, twice(1101, "client", "OUTPUT", 64));

        Verdict v = only(traffic, 1101);
        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
        assertThat(v.where()).hasValue("this host, namespace client (OUTPUT)");
        assertThat(v.sentence()).isEqualTo("TCP " + CLIENT + ":50100 \u2192 " + SERVER + ":1101 was dropped on this"
                + " host, in namespace client (OUTPUT), at the client: 2 packets dropped there by netfilter (nftables)"
                + " (NETFILTER_DROP at nft_do_chain), as eBPF saw at kfree_skb; none of its packets reached a"
                + " captured interface; the records count 2 dropped packets");
        assertThat(v.evidence().get(0)).isEqualTo("eBPF kfree_skb: 2 packets of this flow freed in namespace client"
                + " (OUTPUT) (NETFILTER_DROP at nft_do_chain, TTL 64), read from the dropped packets themselves"
                + " (observed)");
        assertThat(traffic.diagnosis(SERVER, 1101).sentence()).contains("in namespace client (OUTPUT)")
                .endsWith("the cause is on this host, not the server");
    }

    @Test
    void dropInAnotherNamespacesForward_afterTheSynsLeft_isDroppedElsewhere_namingNamespaceAndHook() {
        CapturedTraffic traffic = file("router-forward", IN_CLIENT, 1102, Direction.OUTBOUND,
                twice(1102, "router", "FORWARD", 63));

        Verdict v = only(traffic, 1102);
        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
        assertThat(v.where()).hasValue("namespace router (FORWARD)");
        assertThat(v.sentence()).startsWith("TCP " + CLIENT + ":50100 \u2192 " + SERVER + ":1102 was dropped in"
                + " namespace router (FORWARD), a device on the path, not on this host: 2 packets dropped there by netfilter (nftables)")
                .contains("SYN sent 2\u00d7").endsWith("; the records count 2 dropped packets");
        assertThat(v.evidence()).anySatisfy(l -> assertThat(l).startsWith("eBPF kfree_skb: 2 packets").contains(
                "namespace router (FORWARD)", "TTL 63"));
        assertThat(traffic.diagnosis(SERVER, 1102).sentence()).contains("namespace router (FORWARD)")
                .endsWith("the cause is on another host on the path or at the server, not here");
    }

    @Test
    void threePlaces_giveThreeDifferentVerdicts_eachNamingWhere() {
        List<JournalEntry> journal = new ArrayList<>(twice(1101, "client", "OUTPUT", 64));
        journal.addAll(twice(1103, "server", "INPUT", 63));
        CapturedTraffic output = file("three-1101", IN_CLIENT, 1101, null, journal);
        CapturedTraffic input = file("three-1103", IN_CLIENT, 1103, Direction.OUTBOUND, twice(1103, "server", "INPUT", 63));
        CapturedTraffic forward = file("three-1102", IN_CLIENT, 1102, Direction.OUTBOUND,
                twice(1102, "router", "FORWARD", 63));

        Verdict atServer = only(input, 1103);
        assertThat(atServer.fate()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(atServer.where()).hasValue("namespace server (INPUT)");
        List<String> sentences = List.of(only(output, 1101).sentence(), atServer.sentence(),
                only(forward, 1102).sentence());
        assertThat(sentences).doesNotHaveDuplicates();
        assertThat(sentences.get(0)).contains("on this host, in namespace client (OUTPUT), at the client");
        assertThat(sentences.get(1)).contains("in namespace server (INPUT), at the server, not on this host");
        assertThat(sentences.get(2)).contains("in namespace router (FORWARD), a device on the path, not on this host");
        // the server's drops in the first file belong to their own flow, placed on their own
        assertThat(only(output, 1103).where()).hasValue("namespace server (INPUT)");
    }

    @Test
    void captureInThreeNamespaces_thisHostIsTheInitiators_theHookAndDirectionSayWhichEnd() {
        List<String> sites = List.of(IN_CLIENT, "to-client in network namespace router (/run/netns/router)",
                "to-server in network namespace router (/run/netns/router)",
                "to-router in network namespace server (/run/netns/server)");
        CapturedTraffic output = file("multi-output", sites, 1101, null, twice(1101, "client", "OUTPUT", 64));
        CapturedTraffic input = file("multi-input", sites, 1103, Direction.OUTBOUND, twice(1103, "server", "INPUT", 63));
        CapturedTraffic forward = file("multi-forward", sites, 1102, Direction.OUTBOUND,
                twice(1102, "router", "FORWARD", 63));
        // the server's SYN-ACK, dropped on the client's INPUT: the client's side again
        List<JournalEntry> reply = List.of(ebpf(200, SERVER, 1104, CLIENT, 50100, "client", "INPUT", 63),
                ebpf(1_000_200, SERVER, 1104, CLIENT, 50100, "client", "INPUT", 63));
        CapturedTraffic clientInput = file("multi-client-input", sites, 1104, Direction.OUTBOUND, reply);

        assertThat(only(output, 1101).fate()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(only(output, 1101).sentence()).contains("in namespace client (OUTPUT), at the client:");
        assertThat(only(input, 1103).fate()).as("captured there, but the server's end").isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(only(input, 1103).sentence()).contains("in namespace server (INPUT), at the server, not on this host");
        assertThat(only(forward, 1102).fate()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(only(forward, 1102).where()).hasValue("namespace router (FORWARD)");
        Verdict v = only(clientInput, 1104);
        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.where()).hasValue("this host, namespace client (INPUT)");
        assertThat(v.sentence()).contains("in namespace client (INPUT), at the client:");
    }

    @Test
    void dropOnInput_ofTheNamespaceTheCaptureRanIn_isDroppedOnThisHost_namingInput() {
        String inServer = "to-router in network namespace server (/run/netns/server)";
        CapturedTraffic traffic = file("server-input", inServer, 1103, Direction.INBOUND,
                twice(1103, "server", "INPUT", 63));

        Verdict v = only(traffic, 1103);
        assertThat(v.fate()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
        assertThat(v.where()).hasValue("this host, namespace server (INPUT)");
    }

    @Test
    void dropInTheJvmsNamespace_capturedThere_isThisHost_anUnnamedNamespaceIsNamedByItsInode() {
        CapturedTraffic jvm = file("jvm", "", 1101, null, twice(1101, "(JVM)", "OUTPUT", 64));
        assertThat(only(jvm, 1101).fate()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(only(jvm, 1101).where()).hasValue("this host, the JVM's network namespace (OUTPUT)");

        CapturedTraffic inode = file("inode", "", 1102, Direction.OUTBOUND,
                twice(1102, "net:[4026532611]", "FORWARD", 63));
        assertThat(only(inode, 1102).fate()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(only(inode, 1102).where()).hasValue("namespace net:[4026532611] (FORWARD)");
    }

    @Test
    void dropWithoutHook_namesTheNamespaceAndTheKernelFunction() {
        List<JournalEntry> journal = List.of(ebpf(100, 1104, "server", null, 63));
        CapturedTraffic traffic = file("no-hook", IN_CLIENT, 1104, Direction.OUTBOUND, journal);

        Verdict v = only(traffic, 1104);
        assertThat(v.fate()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(v.where()).hasValue("namespace server (at nft_do_chain)");
    }

    @Test
    void tracefsRecords_keepTheirInferredWording_andNameNoHookOrNamespace() {
        CapturedTraffic leaving = file("tracefs-leaving", IN_CLIENT, 1102, Direction.OUTBOUND,
                List.of(tracefs(100, 1102, 2)));
        Verdict v = only(leaving, 1102);
        assertThat(v.fate()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(v.confidence()).isEqualTo(Confidence.INFERRED);
        assertThat(v.where()).hasValue("another host or namespace");
        assertThat(v.sentence()).contains("the kernel record names no namespace").doesNotContain("FORWARD", "router",
                "eBPF");
        assertThat(v.evidence()).noneSatisfy(l -> assertThat(l).startsWith("eBPF kfree_skb"));

        CapturedTraffic unseen = file("tracefs-unseen", IN_CLIENT, 1101, null, List.of(tracefs(100, 1101, 2)));
        Verdict u = only(unseen, 1101);
        assertThat(u.confidence()).isEqualTo(Confidence.INFERRED);
        assertThat(u.sentence()).doesNotContain("OUTPUT", "namespace client");
    }

    @Test
    void ebpfAttachedMidFlow_theLeadGivesOneCount_splitBySourceWithEachConfidence() {
        // GIVEN two SYNs dropped before bpftrace attached (tracefs) and one after it (eBPF, router FORWARD)
        List<JournalEntry> journal = new ArrayList<>(List.of(tracefs(100, 1102, 2)));
        journal.add(ebpf(2_000_100, 1102, "router", "FORWARD", 63));
        CapturedTraffic traffic = file("mixed", IN_CLIENT, 1102, Direction.OUTBOUND, journal);

        Verdict v = only(traffic, 1102);

        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(v.sentence()).contains("in namespace router (FORWARD), a device on the path, not on this host: 3"
                + " packets dropped by netfilter (nftables)", ": 1 there as eBPF saw at kfree_skb (observed) and 2"
                + " recorded by tracefs while eBPF was not recording, tied to this flow by time (inferred: their records"
                + " name no place)").doesNotContain("records count", "1 packet dropped there");
    }
}
