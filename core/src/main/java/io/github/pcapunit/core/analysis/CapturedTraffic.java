package io.github.pcapunit.core.analysis;

import io.github.pcapunit.core.packet.internal.Addresses;
import io.github.pcapunit.core.packet.internal.DecodedPackets;
import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.PcapFormatException;

import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.PcapReader;

import io.github.pcapunit.core.analysis.internal.AnalysisResult;
import io.github.pcapunit.core.analysis.internal.PacketMatcher;
import io.github.pcapunit.core.analysis.internal.TrafficScan;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a capture file shows: packets, TCP connections, ICMP echoes, UDP exchanges and
 * {@link Drop}s (from the wire, the capture statistics, and kernel/firewall evidence stored in
 * the file), plus whether the capture itself is complete. Works on any pcap or pcapng file —
 * pcapunit's own, tcpdump's, Wireshark's, pktmon's (converted with {@code pktmon pcapng}).
 *
 * <p>The file is analysed once, on first use, in one pass that keeps compact per-flow state but
 * not the packets; {@link #packets()} re-reads the file. Thread-safe.
 *
 * <pre>{@code
 * CapturedTraffic traffic = CapturedTraffic.read(Path.of("target/pcapunit/db.pcapng"));
 * if (traffic.packetsTo(1433) == 0) {
 *     System.out.println("no packet to port 1433 was seen at all");
 * }
 * traffic.filter("tcp port 1433").drops().forEach(System.out::println);
 * // [WIRE UNANSWERED_CONNECTION_ATTEMPT] SYN 10.0.1.10:50122 → 10.0.1.20:1433 sent 3× at +0.000 s, +1.022 s, +3.046 s, no SYN-ACK
 * }</pre>
 */
public final class CapturedTraffic {

    private final Path file;
    private final PacketMatcher matcher;
    private final CaptureResult captureResult;
    /** Non-null for a live view: each question is answered from a fresh snapshot. */
    private final Supplier<CaptureResult> snapshots;
    private volatile TrafficScan.Scan scan;

    private CapturedTraffic(Path file, PacketMatcher matcher, CaptureResult captureResult) {
        this(file, matcher, captureResult, null);
    }

    private CapturedTraffic(Path file, PacketMatcher matcher, CaptureResult captureResult,
                            Supplier<CaptureResult> snapshots) {
        this.file = file;
        this.matcher = matcher;
        this.captureResult = captureResult;
        this.snapshots = snapshots;
    }

    /**
     * The traffic in a pcap or pcapng file. The header is checked now; packets are read on first
     * use.
     *
     * <pre>{@code CapturedTraffic t = CapturedTraffic.read(Path.of("from-tcpdump.pcap"));}</pre>
     *
     * @throws CaptureException if the file does not exist or cannot be read
     * @throws PcapFormatException if it is neither pcap nor pcapng
     */
    public static CapturedTraffic read(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new CaptureException("CapturedTraffic.read(" + file + "): no such file. Pass the path of a"
                    + " pcap or pcapng file, e.g. CaptureResult.file() of a finished capture.");
        }
        try (PcapReader r = PcapReader.open(file)) {
            // Opening reads and validates the file header.
            Objects.requireNonNull(r);
        }
        return new CapturedTraffic(file, null, null);
    }

    /**
     * The traffic of a finished capture: its file, plus the engine's statistics (loss counts,
     * size-cap truncation) and kernel evidence status.
     *
     * <pre>{@code CapturedTraffic t = CapturedTraffic.of(capture.stop());}</pre>
     */
    public static CapturedTraffic of(CaptureResult result) {
        Objects.requireNonNull(result, "result");
        return new CapturedTraffic(read(result.file()).file, null, result);
    }

    /**
     * A live view of a running capture, for integrations such as the JUnit extension: every
     * question asked of it waits for the capture to settle (the packets sent so far included)
     * and answers from a new {@code snapshot}. Use {@link #settled()} to ask several questions of
     * one consistent moment; pcapunit's assertions do.
     *
     * <pre>{@code
     * CapturedTraffic traffic = CapturedTraffic.live(capture::snapshot, capture.file());
     * connect();
     * traffic.settled().dropsTo(1433);   // sees the connect's packets
     * }</pre>
     *
     * @param snapshots settles the capture and returns what it holds so far
     * @param file the file the snapshots are written to (what {@link #path()} answers)
     */
    public static CapturedTraffic live(Supplier<CaptureResult> snapshots, Path file) {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(file, "file");
        return new CapturedTraffic(file, null, null, snapshots);
    }

    /**
     * This traffic at one moment: for a {@link #live live} view, the capture settled now and
     * frozen (filters applied so far kept); for anything else, {@code this}.
     */
    public CapturedTraffic settled() {
        if (snapshots == null) {
            return this;
        }
        CaptureResult now = snapshots.get();
        return new CapturedTraffic(now.file(), matcher, now);
    }

    /** Whether this is a {@link #live(Supplier, Path) live} view of a running capture. */
    public boolean isLive() {
        return snapshots != null;
    }

    /**
     * Only the packets matching {@code expression}, in a subset of tcpdump's filter syntax; drops,
     * connections and counts are computed over that subset. Supported: protocols {@code tcp udp
     * icmp icmp6 ip ip6}; {@code [src|dst] port N}, {@code [src|dst] portrange N-M},
     * {@code [src|dst] host ADDR} (numeric IPv4/IPv6), {@code [src|dst] net ADDR/LEN}, a bare
     * address; a protocol may prefix a port ({@code tcp port 1433}); {@code and or not && || !}
     * and parentheses. ICMP errors quoting a matching packet also match, so a "port
     * unreachable" for {@code udp port 53} stays visible.
     *
     * <pre>{@code traffic.filter("tcp port 1433 and host 10.0.1.20").connections();}</pre>
     *
     * @throws InvalidFilterException naming the unsupported part and the supported syntax
     */
    public CapturedTraffic filter(String expression) {
        PacketMatcher m = PacketMatcher.parse(expression);
        return new CapturedTraffic(file, matcher == null ? m : PacketMatcher.and(matcher, m), captureResult,
                snapshots);
    }

    /** The filter expression applied by {@link #filter(String)}, if any. */
    public Optional<String> filterExpression() {
        return matcher == null ? Optional.empty() : Optional.of(matcher.text());
    }

    /** The capture file. */
    public Path path() {
        return file;
    }

    private TrafficScan.Scan scan() {
        if (snapshots != null) {
            return settled().scan();
        }
        TrafficScan.Scan s = scan;
        if (s == null) {
            synchronized (this) {
                s = scan;
                if (s == null) {
                    s = TrafficScan.scan(file, matcher, captureResult);
                    scan = s;
                }
            }
        }
        return s;
    }

    private AnalysisResult wire() {
        return scan().wire;
    }

    /** Packets in the file (matching the filter, if one is applied). */
    public long packetCount() {
        return wire().packets;
    }

    /** Packets flagged truncated or malformed by the decoder. */
    public long damagedPacketCount() {
        return wire().truncated + wire().malformed;
    }

    /** Time of the first packet. */
    public Optional<Instant> firstPacketTime() {
        return wire().packets == 0 ? Optional.empty() : Optional.of(TcpConnection.at(wire().firstNanos));
    }

    /** Time of the last packet. */
    public Optional<Instant> lastPacketTime() {
        return wire().packets == 0 ? Optional.empty() : Optional.of(TcpConnection.at(wire().lastNanos));
    }

    /**
     * Time of the file's earliest packet, ignoring the filter: the zero of relative times in
     * verdicts and in listings such as {@code Pcapunit format}. Earliest, not first written: TCP
     * stamps a SYN when it builds it, so a SYN that waited for ARP is written after the ARP
     * request with an earlier time.
     */
    public Optional<Instant> fileFirstPacketTime() {
        long base = scan().baseNanos;
        return base < 0 ? Optional.empty() : Optional.of(TcpConnection.at(base));
    }

    /** Packets the kernel buffer dropped before they were recorded (sum of ISB {@code isb_osdrop}). */
    public long packetsDroppedByKernel() {
        return scan().osDrop;
    }

    /** Packets the interface dropped (sum of ISB {@code isb_ifdrop}). */
    public long packetsDroppedByInterface() {
        return scan().ifDrop;
    }

    /** Whether the file ends mid-record or the capture's size cap stopped writing. */
    public boolean isTruncated() {
        return scan().truncation != null;
    }

    /**
     * Whether the capture lost nothing: no kernel-buffer or interface drops and not truncated.
     * A file without statistics blocks (plain tcpdump) counts as complete unless truncated.
     */
    public boolean isComplete() {
        return incompleteness().isEmpty();
    }

    /**
     * Why the capture is not complete, as one sentence naming the counts and the file, e.g.
     * {@code "the capture is incomplete: the kernel buffer dropped 12 packets"}; empty if complete.
     */
    public Optional<String> incompleteness() {
        return Optional.ofNullable(scan().incompleteness());
    }

    /**
     * What evidence beyond the packets the capture recorded, as pcapunit's engine stored it in the
     * file (a journal entry with one field per fact; with {@link #of(CaptureResult)}, the result's,
     * which is the same value). Empty when the file does not say (another tool wrote it).
     *
     * <pre>{@code
     * boolean kernel = traffic.evidenceStatus()
     *         .map(s -> s.recorded(EvidenceStatus.Source.KERNEL_TRACE)).orElse(false);
     * }</pre>
     */
    public Optional<EvidenceStatus> evidenceStatus() {
        return Optional.ofNullable(scan().evidenceStatus);
    }

    /**
     * {@link #evidenceStatus()} as one sentence for people, e.g. {@code "kernel evidence off"};
     * empty when the file does not say. Decide on {@link #evidenceStatus()}, not on this text.
     */
    public Optional<String> kernelEvidenceStatus() {
        return evidenceStatus().map(EvidenceStatus::describe);
    }

    /** Journal entries stored in the file (kernel events, test marks, the evidence status), in file order. */
    public List<JournalEntry> journal() {
        return scan().journal;
    }

    /** TCP connections in order of their first packet. */
    public List<TcpConnection> connections() {
        List<TcpConnection> out = new ArrayList<>();
        wire().tcp.forEach(s -> out.add(new TcpConnection(s)));
        return List.copyOf(out);
    }

    /** TCP connections to {@code port} (server side). */
    public List<TcpConnection> connectionsTo(int port) {
        List<TcpConnection> out = new ArrayList<>();
        wire().tcp.forEach(s -> {
            if (s.serverPort == port) {
                out.add(new TcpConnection(s));
            }
        });
        return List.copyOf(out);
    }

    /** ICMP/ICMPv6 echo requests with their replies (the first 100,000 requests). */
    public List<IcmpExchange> icmpEchoes() {
        List<IcmpExchange> out = new ArrayList<>();
        wire().echoes.forEach(r -> out.add(new IcmpExchange(r)));
        return List.copyOf(out);
    }

    /** UDP flows, requests and responses, in order of their first datagram. */
    public List<UdpExchange> udpExchanges() {
        List<UdpExchange> out = new ArrayList<>();
        wire().udp.forEach(s -> out.add(new UdpExchange(s)));
        return List.copyOf(out);
    }

    /**
     * Every drop: wire evidence, capture loss, and kernel/firewall evidence from the file's
     * journal, in order of time (capture loss first).
     */
    public List<Drop> drops() {
        return scan().drops;
    }

    /**
     * One {@link Verdict} per flow: every TCP connection, UDP exchange and ICMP echo (grouped by
     * source, target and identifier), then flows that only kernel or firewall records show
     * (nothing of them reached a captured interface). Each says what happened, where, who sent
     * the reset or ICMP error, and how sure it is.
     *
     * <pre>{@code
     * traffic.verdicts().stream().filter(Verdict::isFailure).forEach(v -> System.out.println(v.sentence()));
     * }</pre>
     */
    public List<Verdict> verdicts() {
        return scan().verdicts().all();
    }

    /**
     * The verdict of {@code connection}, one of this traffic's {@link #connections()}.
     *
     * <pre>{@code traffic.connectionsTo(1433).stream().map(traffic::verdictOf).map(Verdict::fate).toList();}</pre>
     *
     * @throws IllegalArgumentException if the connection comes from another {@code CapturedTraffic}
     */
    public Verdict verdictOf(TcpConnection connection) {
        return verdictOf(connection.state());
    }

    /**
     * The verdict of {@code exchange}, one of this traffic's {@link #udpExchanges()}.
     *
     * @throws IllegalArgumentException if the exchange comes from another {@code CapturedTraffic}
     */
    public Verdict verdictOf(UdpExchange exchange) {
        return verdictOf(exchange.state());
    }

    private Verdict verdictOf(Object state) {
        Verdict v = scan().verdicts().of(state);
        if (v == null) {
            throw new IllegalArgumentException("verdictOf: the connection or exchange is not one of " + this
                    + "; pass one from this object's connections() or udpExchanges()");
        }
        return v;
    }

    /**
     * What the capture says about {@code host}:{@code port} (port -1: the host's flows, any port):
     * its ICMP echoes, its flows' verdicts, the cause.
     *
     * <pre>{@code
     * Diagnosis d = traffic.diagnosis("10.0.1.20", 1433);
     * d.isReachable();   // false
     * d.sentence();      // 10.0.1.20: ICMP echo answered (the network path works); port 1433: ... — the cause is ...
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code host} is not a numeric IP address or the port is not -1..65535
     */
    public Diagnosis diagnosis(String host, int port) {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("diagnosis(" + host + ", " + port + "): port " + port
                    + " is out of range; use 0..65535, or -1 for the host alone");
        }
        Endpoint destination = Endpoint.of(Addresses.parseLiteral(host), port);
        List<Verdict> all = verdicts();
        List<Verdict> echoes = all.stream().filter(v -> (v.flow().protocol() == io.github.pcapunit.core.packet.IpProtocol.ICMP
                || v.flow().protocol() == io.github.pcapunit.core.packet.IpProtocol.ICMPV6)
                && v.flow().destination().address().equals(destination.address())).toList();
        return new Diagnosis(destination, echoes, all.stream().filter(v -> Diagnosis.to(v, destination)).toList());
    }

    /**
     * One {@link Diagnosis} per destination {@code host:port} of the TCP/UDP flows (and per host
     * that was only pinged, port -1), in order of first appearance: the pktmon-like answer for
     * each place the code talked to.
     *
     * <pre>{@code traffic.diagnoses().stream().filter(d -> !d.isReachable()).forEach(System.out::println);}</pre>
     */
    public List<Diagnosis> diagnoses() {
        // Counted without building the verdicts of the quiet flows (most of a large capture; they
        // never fail): a diagnosis builds its list of flows when flows() is asked for.
        java.util.Map<Endpoint, Destination> flows = new java.util.LinkedHashMap<>();
        java.util.Map<InetAddress, List<Verdict>> echoes = new java.util.LinkedHashMap<>();
        // the quiet flows share their server's endpoint: a run of them skips the lookup
        Destination[] last = new Destination[1];
        io.github.pcapunit.core.analysis.internal.Fates.Result verdicts = scan().verdicts(); // one scan, also for a live view
        verdicts.eachFlow((v, quietDestination) -> {
            Endpoint d;
            if (v == null) {
                d = quietDestination;
            } else {
                io.github.pcapunit.core.packet.IpProtocol p = v.flow().protocol();
                if (p == io.github.pcapunit.core.packet.IpProtocol.ICMP || p == io.github.pcapunit.core.packet.IpProtocol.ICMPV6) {
                    echoes.computeIfAbsent(v.flow().destination().address(), k -> new ArrayList<>()).add(v);
                    return;
                }
                if (p != io.github.pcapunit.core.packet.IpProtocol.TCP && p != io.github.pcapunit.core.packet.IpProtocol.UDP) {
                    return;
                }
                d = v.flow().destination();
            }
            Destination g = last[0];
            if (g == null || g.endpoint != d) {
                g = flows.computeIfAbsent(d, Destination::new);
                last[0] = g;
            }
            g.count++;
            if (v != null && v.isFailure()) {
                g.failures.add(v);
            }
        });
        // all destinations' flow lists at once, the first time any diagnosis is asked for its flows
        Grouped grouped = new Grouped(verdicts);
        List<Diagnosis> out = new ArrayList<>();
        java.util.Set<InetAddress> withFlows = new java.util.HashSet<>();
        flows.forEach((dest, g) -> {
            withFlows.add(dest.address());
            out.add(new Diagnosis(dest, echoes.getOrDefault(dest.address(), List.of()), g.count, g.failures,
                    () -> grouped.get().getOrDefault(dest, List.of())));
        });
        echoes.forEach((host, vs) -> {
            if (!withFlows.contains(host)) {
                out.add(new Diagnosis(Endpoint.of(host, -1), vs, List.of()));
            }
        });
        return List.copyOf(out);
    }

    /** The TCP/UDP flows to one destination endpoint: how many, and which failed. */
    private static final class Destination {
        final Endpoint endpoint;
        int count;
        final List<Verdict> failures = new ArrayList<>(0);

        Destination(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /** The verdicts of the TCP/UDP flows by destination endpoint, in order, built once on first use. */
    private static final class Grouped {
        private final io.github.pcapunit.core.analysis.internal.Fates.Result verdicts;
        private java.util.Map<Endpoint, List<Verdict>> byDestination;

        Grouped(io.github.pcapunit.core.analysis.internal.Fates.Result verdicts) {
            this.verdicts = verdicts;
        }

        synchronized java.util.Map<Endpoint, List<Verdict>> get() {
            if (byDestination == null) {
                java.util.Map<Endpoint, List<Verdict>> m = new java.util.HashMap<>();
                for (Verdict v : verdicts.all()) {
                    io.github.pcapunit.core.packet.IpProtocol p = v.flow().protocol();
                    if (p == io.github.pcapunit.core.packet.IpProtocol.TCP || p == io.github.pcapunit.core.packet.IpProtocol.UDP) {
                        m.computeIfAbsent(v.flow().destination(), k -> new ArrayList<>()).add(v);
                    }
                }
                byDestination = m;
            }
            return byDestination;
        }
    }

    /**
     * The {@link #verdicts()} a "no dropped packets" check fails on — flows that failed or lost
     * packets on the way ({@link Verdict#hasLoss()}) — in the same order. Cheaper than filtering
     * {@link #verdicts()} on a large capture: the verdicts of healthy flows are not built.
     *
     * <pre>{@code
     * traffic.verdictsWithLoss().forEach(v -> System.out.println(v));
     * // [UNANSWERED, observed] TCP 10.0.1.10:50122 → 10.0.1.20:1433 was not answered: SYN sent 3× ...
     * }</pre>
     */
    public List<Verdict> verdictsWithLoss() {
        return scan().verdicts().lossy();
    }

    /**
     * How many flows met each {@link Fate}: what counting the fates of {@link #verdicts()} gives,
     * in {@link Fate}'s order, fates no flow met left out (an empty map without flows). Cheaper
     * than counting {@link #verdicts()} on a large capture: the verdicts of healthy flows are not
     * built.
     *
     * <pre>{@code
     * Map<Fate, Long> fates = traffic.flowsByFate();
     * long refused = fates.getOrDefault(Fate.REFUSED, 0L);
     * fates.forEach((fate, n) -> System.out.println(n + " " + fate.text()));
     * // 61406 completed
     * // 307 refused by the server
     * }</pre>
     */
    public Map<Fate, Long> flowsByFate() {
        return scan().verdicts().fates();
    }

    /** The {@link #verdicts()} of flows to {@code port} (TCP or UDP). */
    public List<Verdict> verdictsTo(int port) {
        return verdicts().stream().filter(v -> v.flow().destination().port() == port).toList();
    }

    /** Drops whose flow goes to {@code port}. */
    public List<Drop> dropsTo(int port) {
        return drops().stream().filter(d -> d.flow().map(f -> f.destination().port() == port).orElse(false))
                .toList();
    }

    /**
     * Packets sent to {@code port} (any address, TCP or UDP) — 0 means nothing toward it was
     * seen at all, which an assertion must not mistake for "nothing was dropped".
     */
    public long packetsTo(int port) {
        return wire().destinations.toPort(port);
    }

    /**
     * Packets sent to {@code host}:{@code port}.
     *
     * @throws IllegalArgumentException if {@code host} is not a numeric IP address
     */
    public long packetsTo(String host, int port) {
        return wire().destinations.to(Addresses.parseLiteral(host), port);
    }

    /**
     * Packets sent to {@code host}, any protocol.
     *
     * @throws IllegalArgumentException if {@code host} is not a numeric IP address
     */
    public long packetsToHost(String host) {
        return wire().destinations.to(Addresses.parseLiteral(host), -1);
    }

    /** Every destination endpoint packets were sent to (port -1 for ICMP and other port-less protocols). */
    public Set<Endpoint> destinations() {
        return wire().destinations.destinations();
    }

    /** Every IP address seen as source or destination. */
    public Set<InetAddress> addresses() {
        return wire().destinations.addresses();
    }

    /**
     * The packets, decoded, read again from the file (matching the filter). Close the stream.
     *
     * <pre>{@code try (Stream<DecodedPacket> s = traffic.packets()) { s.limit(10).forEach(System.out::println); }}</pre>
     */
    public Stream<DecodedPacket> packets() {
        if (snapshots != null) {
            return settled().packets();
        }
        return TrafficScan.packets(file, matcher).map(DecodedPackets::wrap);
    }

    /** The packets with these frame numbers, in frame order (unknown numbers are skipped). */
    public List<DecodedPacket> packets(Collection<Long> frameNumbers) {
        if (snapshots != null) {
            return settled().packets(frameNumbers);
        }
        Set<Long> wanted = Set.copyOf(frameNumbers);
        // only the wanted frames are copied; the scan ends once all of them are found
        try (Stream<DecodedPacket> s = TrafficScan.packets(file, f -> wanted.contains(f.frameNumber))
                .limit(wanted.size())
                .map(DecodedPackets::wrap)) {
            return s.toList();
        }
    }

    /** The packet with frame number {@code frameNumber} (1-based). */
    public Optional<DecodedPacket> packet(long frameNumber) {
        List<DecodedPacket> l = packets(List.of(frameNumber));
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** {@code CapturedTraffic[file, 42 packets, filter "tcp port 1433"]}. */
    @Override
    public String toString() {
        return "CapturedTraffic[" + file + filterExpression().map(f -> ", filter \"" + f + "\"").orElse("") + "]";
    }
}
