package io.github.pcapunit.core.capture;

import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.LibpcapNotFoundException;
import io.github.pcapunit.core.UnknownInterfaceException;

import io.github.pcapunit.core.capture.internal.SpecValidation;
import io.github.pcapunit.core.capture.internal.kernel.NftExplain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to capture and where to put it: interfaces, filter, snaplen, kernel buffer, file size cap,
 * output file and kernel evidence. Immutable; build one with {@link #builder()}, copy and change
 * one with {@link #toBuilder()}. An option left unset means the library's default, stated on the
 * builder method.
 *
 * <pre>{@code
 * CaptureSpec spec = CaptureSpec.builder()
 *         .filter(CaptureFilter.tcp().port(1433))
 *         .output(Path.of("target/pcapunit/db.pcapng"))
 *         .maxFileSize(64L << 20)
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} checks every value that can be checked without libpcap and throws
 * {@link InvalidCaptureSpecException} naming the option; {@link #validate()} additionally
 * compiles the filter and checks the interface names with libpcap, still without opening a
 * capture.
 */
public final class CaptureSpec {

    /** Default snapshot length: whole packets (libpcap's own default). */
    public static final int DEFAULT_SNAPLEN = 262_144;
    /**
     * Snapshot length of {@link Builder#headersOnly()}: enough for a Linux cooked header, IPv6
     * and a TCP header with options, never application payload beyond a few bytes.
     */
    public static final int HEADERS_ONLY_SNAPLEN = 128;
    /** Default kernel buffer: 32 MiB, enough for bursts of a loopback flood. */
    public static final int DEFAULT_BUFFER_SIZE = 32 << 20;
    /** Default read timeout: 10 ms; see {@link #readTimeout()} for what it bounds on each interface. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMillis(10);
    /** The interface captured when none is named: Linux's pseudo-interface for all of them. */
    public static final String ANY_INTERFACE = "any";

    private final List<String> interfaces;
    private final String filter;
    private final int snaplen;
    private final int bufferSize;
    private final long maxFileSize;
    private final Path output;
    private final Duration readTimeout;
    private final KernelEvidence kernelEvidence;
    private final String comment;
    private final String explainFirewall;
    private final List<String> explainNamespaces;
    private final List<CapturePoint> points;

    private CaptureSpec(Builder b) {
        this.interfaces = List.copyOf(b.interfaces);
        this.filter = b.filter;
        this.snaplen = b.snaplen;
        this.bufferSize = b.bufferSize;
        this.maxFileSize = b.maxFileSize;
        this.output = b.output;
        this.readTimeout = b.readTimeout;
        this.kernelEvidence = b.kernelEvidence;
        this.comment = b.comment;
        this.explainFirewall = b.explainFirewall;
        this.explainNamespaces = List.copyOf(b.explainNamespaces);
        this.points = List.copyOf(b.points);
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.interfaces = interfaces;
        b.filter = filter;
        b.snaplen = snaplen;
        b.bufferSize = bufferSize;
        b.maxFileSize = maxFileSize;
        b.output = output;
        b.readTimeout = readTimeout;
        b.kernelEvidence = kernelEvidence;
        b.comment = comment;
        b.explainFirewall = explainFirewall;
        b.explainNamespaces = explainNamespaces;
        b.points = points;
        return b;
    }

    /**
     * Interfaces to capture on, as given; empty means the default ({@value #ANY_INTERFACE} on
     * Linux). See {@link #effectiveInterfaces()}.
     */
    public List<String> interfaces() {
        return interfaces;
    }

    /** Interfaces a capture opens: {@link #interfaces()}, or {@code [any]} when none were named. */
    public List<String> effectiveInterfaces() {
        return interfaces.isEmpty() ? List.of(ANY_INTERFACE) : interfaces;
    }

    /** The tcpdump/BPF filter text; empty means every packet. */
    public Optional<String> filter() {
        return Optional.ofNullable(filter);
    }

    /** Bytes kept of each packet ({@value #DEFAULT_SNAPLEN} unless set). */
    public int snaplen() {
        return snaplen;
    }

    /** Kernel buffer size in bytes per interface ({@value #DEFAULT_BUFFER_SIZE} unless set). */
    public int bufferSize() {
        return bufferSize;
    }

    /** The size cap of the capture file in bytes; empty means no cap. */
    public Optional<Long> maxFileSize() {
        return maxFileSize > 0 ? Optional.of(maxFileSize) : Optional.empty();
    }

    /** The pcapng file to write; empty means a new file in {@code java.io.tmpdir}. */
    public Optional<Path> output() {
        return Optional.ofNullable(output);
    }

    /**
     * How long the kernel may hold captured packets before handing them over ({@code 10 ms}
     * unless set), which bounds how long a stop, snapshot or slice end waits for its last packets.
     * On interfaces where the engine cannot mark a stop with its own datagrams (all but {@code lo}
     * and {@code any}, and any interface with a snaplen below 65,600 or a size cap) this is
     * libpcap's read timeout, and stop waits twice this. On {@code lo} and {@code any} the kernel
     * hands blocks over every second, as tcpdump's does (fewer wake-ups while packets trickle in),
     * and a stop or snapshot pushes the last block out with the engine's marker datagrams at once;
     * a kept slice's end does so from its background writer as soon as its marker is not in.
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Whether kernel evidence is recorded ({@link KernelEvidence#AUTO} unless set). */
    public KernelEvidence kernelEvidence() {
        return kernelEvidence;
    }

    /** Text added to the pcapng section comment (e.g. the test's name); empty when unset. */
    public Optional<String> comment() {
        return Optional.ofNullable(comment);
    }

    /**
     * The nftables match of explain mode (e.g. {@code "tcp dport 1433"}); empty when explain mode
     * is off (the default). See {@link Builder#explainFirewall(String)}.
     */
    public Optional<String> explainFirewall() {
        return Optional.ofNullable(explainFirewall);
    }

    /**
     * Named network namespaces ({@code ip netns}) whose firewall explain mode also traces, besides
     * the JVM's own; empty unless set.
     */
    public List<String> explainNamespaces() {
        return explainNamespaces;
    }

    /**
     * Capture points in other network namespaces (namespaces and containers), in the order given;
     * empty (the default) captures in the JVM's own namespace only. See
     * {@link Builder#point(CapturePoint)}.
     */
    public List<CapturePoint> points() {
        return points;
    }

    /**
     * Whether the JVM's own network namespace is captured: when no {@link #points()} are set, or
     * when {@link #interfaces()} are named besides them.
     */
    public boolean capturesOwnNamespace() {
        return points.isEmpty() || !interfaces.isEmpty();
    }

    /**
     * Checks what needs libpcap, without opening a capture: the filter compiles (libpcap's reason
     * otherwise) and every named interface exists.
     *
     * <pre>{@code
     * spec.validate();   // throws InvalidFilterException for "tcp port bogus"
     * }</pre>
     *
     * @return this spec
     * @throws InvalidFilterException when libpcap refuses the filter
     * @throws UnknownInterfaceException when an interface does not exist
     * @throws LibpcapNotFoundException when libpcap cannot be loaded
     */
    public CaptureSpec validate() {
        SpecValidation.validate(this);
        return this;
    }

    /**
     * Whether {@code o} is a spec with the same value for every option, as given: interfaces in
     * the same order, the same filter text, output path, points and so on. An unset option and
     * one set to its default value are equal ({@code interfaces()} empty and {@code [any]} are not:
     * they are different values that capture the same). Two equal specs capture the same traffic
     * into the same file; a JUnit extension may share one capture between them.
     *
     * <pre>{@code
     * CaptureSpec a = CaptureSpec.builder().interfaces("lo").filter("udp").build();
     * a.equals(a.toBuilder().build());                      // true
     * a.equals(a.toBuilder().comment("other test").build()); // false
     * }</pre>
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CaptureSpec)) {
            return false;
        }
        CaptureSpec s = (CaptureSpec) o;
        return snaplen == s.snaplen && bufferSize == s.bufferSize && maxFileSize == s.maxFileSize
                && interfaces.equals(s.interfaces) && Objects.equals(filter, s.filter)
                && Objects.equals(output, s.output) && readTimeout.equals(s.readTimeout)
                && kernelEvidence == s.kernelEvidence && Objects.equals(comment, s.comment)
                && Objects.equals(explainFirewall, s.explainFirewall) && explainNamespaces.equals(s.explainNamespaces)
                && points.equals(s.points);
    }

    /** A hash over every option, consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(interfaces, filter, snaplen, bufferSize, maxFileSize, output, readTimeout, kernelEvidence,
                comment, explainFirewall, explainNamespaces, points);
    }

    @Override
    public String toString() {
        return "CaptureSpec[interfaces=" + effectiveInterfaces() + ", filter=" + (filter == null ? "(all)" : filter)
                + ", snaplen=" + snaplen + ", bufferSize=" + bufferSize
                + ", maxFileSize=" + (maxFileSize > 0 ? maxFileSize : "none")
                + ", output=" + (output == null ? "(temp)" : output)
                + ", readTimeout=" + readTimeout.toMillis() + "ms, kernelEvidence=" + kernelEvidence
                + (explainFirewall == null ? "" : ", explainFirewall=" + explainFirewall
                        + (explainNamespaces.isEmpty() ? "" : " in " + explainNamespaces))
                + (points.isEmpty() ? "" : ", points=" + points)
                + "]";
    }

    /**
     * Builds a {@link CaptureSpec}. Every setter names its default; {@link #build()} checks the
     * values.
     *
     * <pre>{@code
     * CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9999").build();
     * }</pre>
     */
    public static final class Builder {

        private static final int PCAP_FILE_HEADER = 24;
        private static final int PCAP_RECORD_HEADER = 16;

        private List<String> interfaces = List.of();
        private String filter;
        private int snaplen = DEFAULT_SNAPLEN;
        private int bufferSize = DEFAULT_BUFFER_SIZE;
        private long maxFileSize;
        private Path output;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private KernelEvidence kernelEvidence = KernelEvidence.AUTO;
        private String comment;
        private String explainFirewall;
        private List<String> explainNamespaces = List.of();
        private List<CapturePoint> points = List.of();

        private Builder() {
        }

        /**
         * Adds a capture point in another network namespace: a named namespace, an nsfs path or a
         * Docker container, each with its interfaces (default all of them). With points set, the
         * JVM's own namespace is captured only if {@link #interfaces(String...)} are also named.
         * All points are written to one file in timestamp order, each interface named
         * {@code <point>/<interface>} (e.g. {@code db/eth0}). Capturing in another namespace
         * needs {@code CAP_SYS_ADMIN} (to join it) besides the capture capabilities.
         *
         * <pre>{@code
         * CaptureSpec.builder().point(CapturePoint.namespace("app"))
         *         .point(CapturePoint.container("db").interfaces("eth0")).build();
         * }</pre>
         */
        public Builder point(CapturePoint point) {
            List<CapturePoint> all = new java.util.ArrayList<>(points);
            all.add(Objects.requireNonNull(point, "point"));
            return points(all);
        }

        /** Replaces the capture points; an empty list (the default) captures in the JVM's namespace only. */
        public Builder points(List<CapturePoint> newPoints) {
            List<CapturePoint> copy = List.copyOf(newPoints);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (CapturePoint p : copy) {
                if (!seen.add(p.kind() + ":" + p.target())) {
                    throw new InvalidCaptureSpecException(p.kind() == CapturePoint.Kind.NAMESPACE ? "namespaces"
                            : "containers", p.target(), p.describe() + " is given twice: name each capture point"
                                    + " once, with all its interfaces (e.g. \"db/eth0\", \"db/lo\")");
                }
            }
            this.points = copy;
            return this;
        }

        /**
         * Network namespaces to capture in, as {@code ip netns} names or nsfs paths; {@code "db"}
         * captures all of db's interfaces, {@code "db/eth0"} only eth0 there. Adds to the points;
         * default none. See {@link #point(CapturePoint)}.
         *
         * <pre>{@code
         * CaptureSpec.builder().namespaces("client", "server/eth0").build();
         * }</pre>
         */
        public Builder namespaces(String... namespaces) {
            List<CapturePoint> all = new java.util.ArrayList<>(points);
            all.addAll(CapturePoint.parse(CapturePoint.Kind.NAMESPACE, namespaces));
            return points(all);
        }

        /**
         * Docker containers to capture in, by id or name; {@code "db"} captures all of the
         * container's interfaces, {@code "db/eth0"} only eth0. Adds to the points; default none.
         * See {@link #point(CapturePoint)}.
         */
        public Builder containers(String... containers) {
            List<CapturePoint> all = new java.util.ArrayList<>(points);
            all.addAll(CapturePoint.parse(CapturePoint.Kind.CONTAINER, containers));
            return points(all);
        }

        /** Interfaces by name, e.g. {@code "lo", "eth0"}; none (the default) means {@code any} on Linux. */
        public Builder interfaces(String... names) {
            return interfaces(List.of(names));
        }

        /** Interfaces by name; an empty list means the default ({@code any} on Linux). */
        public Builder interfaces(List<String> names) {
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new InvalidCaptureSpecException("interfaces", String.valueOf(name),
                            "interfaces contains an empty name " + names + ": give interface names such as "
                                    + "\"lo\" or \"eth0\", or none for all interfaces (\"any\")");
                }
            }
            if (names.stream().distinct().count() != names.size()) {
                throw new InvalidCaptureSpecException("interfaces", names.toString(), "interfaces " + names
                        + " names an interface twice: each interface is captured once, list it once");
            }
            this.interfaces = List.copyOf(names);
            return this;
        }

        /** tcpdump/BPF filter text, e.g. {@code "tcp port 1433"}; {@code null} or unset captures everything. */
        public Builder filter(String bpf) {
            this.filter = bpf == null || bpf.isBlank() ? null : bpf.strip();
            return this;
        }

        /** A typed filter, e.g. {@code CaptureFilter.udp().dstPort(53)}. */
        public Builder filter(CaptureFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter").bpf();
            return this;
        }

        /** Bytes kept of each packet, 1 or more; default {@value CaptureSpec#DEFAULT_SNAPLEN}. */
        public Builder snaplen(int snaplen) {
            this.snaplen = snaplen;
            return this;
        }

        /** Keep headers only ({@value CaptureSpec#HEADERS_ONLY_SNAPLEN} bytes), so payloads are never archived. */
        public Builder headersOnly() {
            return snaplen(HEADERS_ONLY_SNAPLEN);
        }

        /** Kernel buffer per interface in bytes, 64 KiB to 1 GiB; default 32 MiB. */
        public Builder bufferSize(int bytes) {
            this.bufferSize = bytes;
            return this;
        }

        /**
         * Size cap of the capture file in bytes; the capture stops writing when it is reached and
         * the result says so. Unset or {@code 0}: no cap. Must hold at least one whole packet.
         */
        public Builder maxFileSize(long bytes) {
            this.maxFileSize = bytes;
            return this;
        }

        /** Where to write the pcapng; default a new {@code pcapunit-*.pcapng} in {@code java.io.tmpdir}. */
        public Builder output(Path file) {
            this.output = file;
            return this;
        }

        /**
         * Read timeout, 1 ms to 1 s; default 10 ms: the longest a stop or slice end waits for the
         * kernel to hand over its last packets (twice this where the engine cannot mark a stop;
         * see {@link CaptureSpec#readTimeout()}).
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "readTimeout");
            return this;
        }

        /** Whether to record kernel evidence; default {@link KernelEvidence#AUTO}. */
        public Builder kernelEvidence(KernelEvidence mode) {
            this.kernelEvidence = Objects.requireNonNull(mode, "kernelEvidence");
            return this;
        }

        /**
         * Explain mode: names the exact nftables rule that drops a packet. While the capture
         * runs, a temporary nftables table sets {@code meta nftrace set 1} on packets matching
         * {@code nftMatch} (one nft match expression, the nft spelling of the capture filter),
         * and {@code nft monitor trace} reports each drop verdict with table, chain, rule handle
         * and comment; the verdicts become {@code FIREWALL} drop records and journal entries of
         * the pcapng. The table is removed at stop, on failure and from the shutdown hook.
         * Needs root and the {@code nft} command; off by default (tracing costs a little per
         * matching packet).
         *
         * <pre>{@code
         * CaptureSpec.builder().filter("tcp port 1433").explainFirewall("tcp dport 1433").build();
         * }</pre>
         */
        public Builder explainFirewall(String nftMatch) {
            this.explainFirewall = nftMatch;
            return this;
        }

        /**
         * Network namespaces ({@code ip netns} names) whose firewalls explain mode traces too,
         * e.g. a database's namespace whose INPUT chain drops; default none (the JVM's own only).
         */
        public Builder explainNamespaces(String... namespaces) {
            this.explainNamespaces = List.of(namespaces);
            return this;
        }

        /** Text for the pcapng section comment, e.g. the test's name; default none. */
        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        /**
         * The spec, after checking every value that needs no libpcap.
         *
         * @throws InvalidCaptureSpecException naming the option, its value and the fix
         */
        public CaptureSpec build() {
            if (snaplen <= 0) {
                throw new InvalidCaptureSpecException("snaplen", Integer.toString(snaplen), "snaplen " + snaplen
                        + " keeps no bytes of a packet: use a positive length, e.g. snaplen(262144) for whole "
                        + "packets or headersOnly()");
            }
            if (bufferSize < 65_536 || bufferSize > (1 << 30)) {
                throw new InvalidCaptureSpecException("bufferSize", Integer.toString(bufferSize), "bufferSize "
                        + bufferSize + " bytes is outside 65536 (64 KiB) to 1073741824 (1 GiB): "
                        + "use e.g. bufferSize(32 << 20) for 32 MiB");
            }
            long onePacket = PCAP_FILE_HEADER + PCAP_RECORD_HEADER + (long) snaplen;
            if (maxFileSize < 0 || (maxFileSize > 0 && maxFileSize < onePacket)) {
                throw new InvalidCaptureSpecException("maxFileSize", Long.toString(maxFileSize), "maxFileSize "
                        + maxFileSize + " bytes cannot hold one packet of snaplen " + snaplen + " (" + onePacket
                        + " bytes with headers): use at least " + onePacket + ", lower snaplen, or 0 for no cap");
            }
            if (readTimeout.isNegative() || readTimeout.toMillis() < 1 || readTimeout.toMillis() > 1000) {
                throw new InvalidCaptureSpecException("readTimeout", readTimeout.toString(), "readTimeout "
                        + readTimeout + " is outside 1 ms to 1 s: use e.g. readTimeout(Duration.ofMillis(10))");
            }
            if (output != null && output.getFileName() == null) {
                throw new InvalidCaptureSpecException("output", output.toString(), "output " + output
                        + " names no file: give a file path, e.g. target/pcapunit/capture.pcapng");
            }
            if (output != null && java.nio.file.Files.isDirectory(output)) {
                throw new InvalidCaptureSpecException("output", output.toString(), "output " + output
                        + " is a directory: give a file path inside it, e.g. " + output.resolve("capture.pcapng"));
            }
            if (explainFirewall != null && !NftExplain.isOneMatchExpression(explainFirewall)) {
                throw new InvalidCaptureSpecException("explainFirewall", explainFirewall, "explainFirewall \""
                        + explainFirewall + "\" is not one nftables match expression: use nft syntax for the"
                        + " packets to trace, e.g. explainFirewall(\"tcp dport 1433\")");
            }
            if (!explainNamespaces.isEmpty() && explainFirewall == null) {
                throw new InvalidCaptureSpecException("explainNamespaces", explainNamespaces.toString(),
                        "explainNamespaces " + explainNamespaces + " needs explain mode: also set"
                                + " explainFirewall(\"<nft match>\"), e.g. explainFirewall(\"tcp dport 1433\")");
            }
            for (String ns : explainNamespaces) {
                if (ns == null || !ns.matches("[A-Za-z0-9_.-]{1,64}")) {
                    throw new InvalidCaptureSpecException("explainNamespaces", String.valueOf(ns),
                            "explainNamespaces entry \"" + ns + "\" is not a network namespace name: use a"
                                    + " name that 'ip netns list' shows, e.g. \"db\"");
                }
            }
            return new CaptureSpec(this);
        }
    }
}
