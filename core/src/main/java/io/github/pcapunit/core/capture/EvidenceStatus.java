package io.github.pcapunit.core.capture;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What evidence beyond the packets a capture recorded: the {@link KernelEvidence} mode asked
 * for, and per {@link Source} whether it recorded and, if not, why ({@link State} plus the
 * cause's message). The engine stores it in the pcapng as a journal entry
 * ({@code PCAPUNIT_EVENT=evidence_status}, one field per fact) and the analysis reads it back as
 * this same value; decisions are taken on it, never on its {@link #describe()} sentence.
 *
 * <pre>{@code
 * EvidenceStatus status = capture.stop().evidenceStatus();
 * if (!status.recorded(EvidenceStatus.Source.KERNEL_TRACE)) {
 *     System.err.println(status.describe());
 *     // "kernel evidence unavailable: tracefs is not mounted at /sys/kernel/tracing and cannot be mounted ..."
 * }
 * }</pre>
 */
public final class EvidenceStatus {

    /** The journal {@code PCAPUNIT_EVENT} value of the entry holding a status. */
    public static final String JOURNAL_EVENT = "evidence_status";

    /** A source of evidence that runs alongside a capture. */
    public enum Source {
        /** The kernel's tracepoints (drops, TCP state changes) recorded in a private tracefs instance. */
        KERNEL_TRACE("kernel evidence", JournalKey.PCAPUNIT_KERNEL_TRACE_STATE, JournalKey.PCAPUNIT_KERNEL_TRACE_CAUSE,
                JournalKey.PCAPUNIT_KERNEL_TRACE_EVENTS, JournalKey.PCAPUNIT_KERNEL_TRACE_NOT_KEPT,
                JournalKey.PCAPUNIT_KERNEL_TRACE_SCOPE, JournalKey.PCAPUNIT_KERNEL_TRACE_MISSING),
        /**
         * Kernel drop records read by an eBPF program ({@code bpftrace} on {@code skb:kfree_skb}):
         * the dropped packet's own headers, namespace, netfilter hook and socket owner, so its
         * records are {@code OBSERVED}; where it did not record (no bpftrace, no BTF, failed, not
         * attached yet) drop records come from {@link #KERNEL_TRACE}, correlated, {@code INFERRED}.
         * Its scope says from when it recorded: bpftrace takes seconds to attach.
         */
        EBPF_DROPS("eBPF drop records", JournalKey.PCAPUNIT_EBPF_DROPS_STATE, JournalKey.PCAPUNIT_EBPF_DROPS_CAUSE,
                JournalKey.PCAPUNIT_EBPF_DROPS_EVENTS, JournalKey.PCAPUNIT_EBPF_DROPS_NOT_KEPT,
                JournalKey.PCAPUNIT_EBPF_DROPS_SCOPE, JournalKey.PCAPUNIT_EBPF_DROPS_MISSING),
        /** nftables trace of the explain mode ({@link CaptureSpec#explainFirewall()}). */
        FIREWALL_EXPLAIN("firewall explain", JournalKey.PCAPUNIT_FIREWALL_EXPLAIN_STATE,
                JournalKey.PCAPUNIT_FIREWALL_EXPLAIN_CAUSE, JournalKey.PCAPUNIT_FIREWALL_EXPLAIN_EVENTS,
                JournalKey.PCAPUNIT_FIREWALL_EXPLAIN_NOT_KEPT, JournalKey.PCAPUNIT_FIREWALL_EXPLAIN_SCOPE,
                JournalKey.PCAPUNIT_FIREWALL_EXPLAIN_MISSING);

        private final String label;
        private final JournalKey stateKey;
        private final JournalKey causeKey;
        private final JournalKey eventsKey;
        private final JournalKey notKeptKey;
        private final JournalKey scopeKey;
        private final JournalKey missingKey;

        Source(String label, JournalKey stateKey, JournalKey causeKey, JournalKey eventsKey, JournalKey notKeptKey,
                JournalKey scopeKey, JournalKey missingKey) {
            this.label = label;
            this.stateKey = stateKey;
            this.causeKey = causeKey;
            this.eventsKey = eventsKey;
            this.notKeptKey = notKeptKey;
            this.scopeKey = scopeKey;
            this.missingKey = missingKey;
        }
    }

    /** Whether a source recorded, and if not, why not. */
    public enum State {
        /** It recorded while the capture ran. */
        RECORDED,
        /** The capture did not ask for it ({@link KernelEvidence#OFF}, no explain mode). */
        NOT_REQUESTED,
        /** This machine does not allow it (no tracefs, no privilege); the cause says which. */
        UNAVAILABLE,
        /** It was asked for and allowed, but setting it up or running it failed; the cause says how. */
        FAILED
    }

    /**
     * One source's status.
     *
     * <pre>{@code
     * SourceStatus s = SourceStatus.recorded(Source.KERNEL_TRACE).withCounts(1200, 0);
     * s.describe();   // "kernel evidence recorded (tracefs): 1200 events"
     * }</pre>
     */
    public static final class SourceStatus {
        private final Source source;
        private final State state;
        private final String cause;
        private final long events;
        private final long notKept;
        private final String scope;
        private final long missing;

        private SourceStatus(Source source, State state, String cause, long events, long notKept, String scope) {
            this(source, state, cause, events, notKept, scope, 0);
        }

        private SourceStatus(Source source, State state, String cause, long events, long notKept, String scope,
                long missing) {
            this.source = Objects.requireNonNull(source, "source");
            this.state = Objects.requireNonNull(state, "state");
            // one line each, as a journal field holds it: the value read back equals this one
            this.cause = cause == null ? null : cause.replace('\n', ' ');
            this.events = events;
            this.notKept = notKept;
            this.scope = scope == null ? null : scope.replace('\n', ' ');
            this.missing = missing;
        }

        /** {@code source} recorded. */
        public static SourceStatus recorded(Source source) {
            return new SourceStatus(source, State.RECORDED, null, -1, -1, null);
        }

        /** {@code source} was not asked for. */
        public static SourceStatus notRequested(Source source) {
            return new SourceStatus(source, State.NOT_REQUESTED, null, -1, -1, null);
        }

        /**
         * {@code source} is not allowed on this machine, because of {@code cause}, e.g.
         * {@code "tracefs is not mounted at /sys/kernel/tracing ..."}.
         */
        public static SourceStatus unavailable(Source source, String cause) {
            return new SourceStatus(source, State.UNAVAILABLE, requireCause(cause), -1, -1, null);
        }

        /** {@code source} failed with {@code cause}, e.g. {@code "cannot create tracefs instance ...: EBUSY"}. */
        public static SourceStatus failed(Source source, String cause) {
            return new SourceStatus(source, State.FAILED, requireCause(cause), -1, -1, null);
        }

        /** A copy counting {@code events} recorded and {@code notKept} over the source's limit (both ≥ 0). */
        public SourceStatus withCounts(long events, long notKept) {
            if (events < 0 || notKept < 0) {
                throw new IllegalArgumentException("event counts must be >= 0, got " + events + " and " + notKept);
            }
            return new SourceStatus(source, state, cause, events, notKept, scope, missing);
        }

        /**
         * A copy saying that up to {@code missing} (≥ 0) records may be missing from it: the kernel
         * lost them before they were read, skipped the program that records them, or they could not
         * be read; the scope says which. A check that counts records can allow for them, e.g.
         * {@code recorded >= expected - status.missing()}, and must not when it is 0.
         */
        public SourceStatus withMissing(long missing) {
            if (missing < 0) {
                throw new IllegalArgumentException("missing records must be >= 0, got " + missing);
            }
            return new SourceStatus(source, state, cause, events, notKept, scope, missing);
        }

        /** Records that may be missing (an upper bound; 0: none known to be missing), see {@link #withMissing}. */
        public long missing() {
            return missing;
        }

        /** A copy saying what the source observed, e.g. {@code "tcp dport 1433" in the JVM's namespace}. */
        public SourceStatus withScope(String scope) {
            return new SourceStatus(source, state, cause, events, notKept, Objects.requireNonNull(scope, "scope"),
                    missing);
        }

        private static String requireCause(String cause) {
            Objects.requireNonNull(cause, "cause");
            if (cause.isBlank()) {
                throw new IllegalArgumentException("a source that did not record needs a cause");
            }
            return cause;
        }

        /** The source. */
        public Source source() {
            return source;
        }

        /** Whether it recorded, and if not why. */
        public State state() {
            return state;
        }

        /** Whether it recorded. */
        public boolean recorded() {
            return state == State.RECORDED;
        }

        /** The message of what made it {@link State#UNAVAILABLE} or {@link State#FAILED}; empty otherwise. */
        public Optional<String> cause() {
            return Optional.ofNullable(cause);
        }

        /** Events (kernel) or drop verdicts (explain) recorded, when counted (a final capture file). */
        public OptionalLong events() {
            return events < 0 ? OptionalLong.empty() : OptionalLong.of(events);
        }

        /**
         * Events the source could not keep one by one (over its limit), when counted. The kernel
         * trace counts them per reason and flow in {@code kernel_trace_summary} journal entries.
         */
        public OptionalLong notKept() {
            return notKept < 0 ? OptionalLong.empty() : OptionalLong.of(notKept);
        }

        /** What the source observed, for people; empty when it says nothing beyond the source. */
        public Optional<String> scope() {
            return Optional.ofNullable(scope);
        }

        /**
         * One clause for people, e.g. {@code "kernel evidence off"},
         * {@code "kernel evidence recorded (tracefs): 41 events"},
         * {@code "firewall explain traced \"tcp dport 1433\" in the JVM's namespace: 2 drop verdicts"}.
         */
        public String describe() {
            boolean kernel = source == Source.KERNEL_TRACE;
            boolean ebpf = source == Source.EBPF_DROPS;
            StringBuilder s = new StringBuilder(source.label);
            switch (state) {
                case RECORDED:
                    s.append(kernel ? " recorded (tracefs)" : ebpf ? " recorded (bpftrace, observed)" : " traced");
                    if (scope != null) {
                        s.append(' ').append(scope);
                    }
                    if (events >= 0) {
                        s.append(": ").append(events).append(kernel ? plural(events, " event", " events")
                                : ebpf ? plural(events, " drop", " drops")
                                : plural(events, " drop verdict", " drop verdicts"));
                        if (notKept > 0) {
                            s.append(", ").append(notKept).append(kernel || ebpf
                                    ? " more counted per reason and flow, not kept one by one"
                                    : " over the limit not kept");
                        }
                        if (missing > 0) {
                            s.append(", up to ").append(missing).append(" missing");
                        }
                    }
                    break;
                case NOT_REQUESTED:
                    s.append(" off");
                    break;
                case UNAVAILABLE:
                    s.append(" unavailable: ").append(cause);
                    break;
                case FAILED:
                    s.append(" failed: ").append(cause);
                    break;
                default:
                    throw new IllegalStateException("unknown state " + state);
            }
            return s.toString();
        }

        private static String plural(long n, String one, String many) {
            return n == 1 ? one : many;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof SourceStatus)) {
                return false;
            }
            SourceStatus x = (SourceStatus) o;
            return source == x.source && state == x.state && Objects.equals(cause, x.cause) && events == x.events
                    && notKept == x.notKept && Objects.equals(scope, x.scope) && missing == x.missing;
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, state, cause, events, notKept, scope, missing);
        }

        @Override
        public String toString() {
            return source + " " + state + (cause == null ? "" : " (" + cause + ")")
                    + (events < 0 ? "" : " events=" + events + " notKept=" + notKept)
                    + (scope == null ? "" : " scope=" + scope) + (missing == 0 ? "" : " missing=" + missing);
        }
    }

    private final KernelEvidence mode;
    private final Map<Source, SourceStatus> sources;

    private EvidenceStatus(KernelEvidence mode, Map<Source, SourceStatus> sources) {
        this.mode = mode;
        this.sources = sources;
    }

    /**
     * A status for {@code mode} in which each source is {@link State#NOT_REQUESTED} until set.
     *
     * <pre>{@code
     * EvidenceStatus.builder(KernelEvidence.AUTO)
     *         .source(SourceStatus.unavailable(Source.KERNEL_TRACE, "tracefs is not mounted"))
     *         .build();
     * }</pre>
     */
    public static Builder builder(KernelEvidence mode) {
        return new Builder(Objects.requireNonNull(mode, "mode"));
    }

    /** A builder holding this status, to change one source. */
    public Builder toBuilder() {
        Builder b = new Builder(mode);
        b.sources.putAll(sources);
        return b;
    }

    /** The kernel evidence mode the capture asked for. */
    public KernelEvidence mode() {
        return mode;
    }

    /** The status of {@code source}. */
    public SourceStatus source(Source source) {
        return sources.get(Objects.requireNonNull(source, "source"));
    }

    /** Every source's status, in {@link Source} order. */
    public List<SourceStatus> sources() {
        return List.copyOf(sources.values());
    }

    /** Whether {@code source} recorded. */
    public boolean recorded(Source source) {
        return source(source).recorded();
    }

    /**
     * The status as one sentence for people, derived from the value: the kernel trace's clause,
     * then explain mode's when it was asked for, e.g.
     * {@code "kernel evidence off; firewall explain traced \"tcp dport 1433\" in the JVM's namespace: 1 drop verdict"}.
     * Nothing parses it: decide on {@link #recorded(Source)} and {@link #source(Source)}.
     */
    public String describe() {
        StringBuilder s = new StringBuilder(sources.get(Source.KERNEL_TRACE).describe());
        for (SourceStatus other : sources.values()) {
            if (other.source != Source.KERNEL_TRACE && other.state != State.NOT_REQUESTED) {
                s.append("; ").append(other.describe());
            }
        }
        return s.toString();
    }

    /**
     * The journal entry that stores this status in a pcapng, at {@code time}: {@code PCAPUNIT_EVENT}
     * {@value #JOURNAL_EVENT}, the mode, and per source its state, cause, counts and scope. It has
     * no {@code MESSAGE} (the sentence goes into the section comment), so tools listing messages
     * show only events.
     *
     * <pre>{@code writer.writeJournal(status.toJournalEntry(capture.start()));}</pre>
     */
    public JournalEntry toJournalEntry(Instant time) {
        JournalEntry.Builder b = JournalEntry.builder(time).field(JournalKey.PCAPUNIT_EVENT, JOURNAL_EVENT)
                .field(JournalKey.PCAPUNIT_EVIDENCE_MODE, mode.name());
        for (SourceStatus s : sources.values()) {
            b.field(s.source.stateKey, s.state.name());
            if (s.cause != null) {
                b.field(s.source.causeKey, s.cause);
            }
            if (s.events >= 0) {
                b.field(s.source.eventsKey, Long.toString(s.events));
                b.field(s.source.notKeptKey, Long.toString(s.notKept));
            }
            if (s.scope != null) {
                b.field(s.source.scopeKey, s.scope);
            }
            if (s.missing > 0) {
                b.field(s.source.missingKey, Long.toString(s.missing));
            }
        }
        return b.build();
    }

    /**
     * The status stored in {@code entry}, or empty when the entry is something else (a mark, a
     * kernel event). A source without a state field is {@link State#NOT_REQUESTED}.
     *
     * @throws CaptureException when the entry is a status entry with a value this version does not
     *         know (naming the field and the value)
     */
    public static Optional<EvidenceStatus> fromJournalEntry(JournalEntry entry) {
        if (!entry.isEvent(JOURNAL_EVENT)) {
            return Optional.empty();
        }
        Builder b = builder(parse(KernelEvidence.class, entry, JournalKey.PCAPUNIT_EVIDENCE_MODE));
        for (Source source : Source.values()) {
            if (!entry.has(source.stateKey)) {
                continue;
            }
            State state = parse(State.class, entry, source.stateKey);
            String cause = entry.get(source.causeKey).orElse(null);
            SourceStatus s;
            switch (state) {
                case RECORDED:
                    s = SourceStatus.recorded(source);
                    break;
                case NOT_REQUESTED:
                    s = SourceStatus.notRequested(source);
                    break;
                case UNAVAILABLE:
                    s = SourceStatus.unavailable(source, requireField(entry, source.causeKey, cause));
                    break;
                default:
                    s = SourceStatus.failed(source, requireField(entry, source.causeKey, cause));
                    break;
            }
            if (entry.has(source.eventsKey)) {
                s = s.withCounts(number(entry, source.eventsKey), entry.has(source.notKeptKey)
                        ? number(entry, source.notKeptKey) : 0);
            }
            if (entry.has(source.scopeKey)) {
                s = s.withScope(entry.get(source.scopeKey).orElseThrow());
            }
            if (entry.has(source.missingKey)) {
                s = s.withMissing(number(entry, source.missingKey));
            }
            b.source(s);
        }
        return Optional.of(b.build());
    }

    private static <E extends Enum<E>> E parse(Class<E> type, JournalEntry entry, JournalKey key) {
        String value = entry.get(key).orElse("");
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                known.add(c.name());
            }
            throw new CaptureException("evidence status entry at " + entry.timestamp() + " has " + key + "=\""
                    + value + "\", not one of " + known + ": the file was written by another pcapunit version"
                    + " or edited", e);
        }
    }

    private static long number(JournalEntry entry, JournalKey key) {
        String value = entry.get(key).orElseThrow();
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CaptureException("evidence status entry at " + entry.timestamp() + " has " + key + "=\"" + value
                + "\", not a count");
    }

    private static String requireField(JournalEntry entry, JournalKey key, String value) {
        if (value == null || value.isBlank()) {
            throw new CaptureException("evidence status entry at " + entry.timestamp() + " has no " + key
                    + ": a source that did not record must say why");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvidenceStatus && ((EvidenceStatus) o).mode == mode
                && ((EvidenceStatus) o).sources.equals(sources);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, sources);
    }

    @Override
    public String toString() {
        return "EvidenceStatus[" + mode + ", " + sources.values() + "]";
    }

    /** Builds an {@link EvidenceStatus}; unset sources are {@link State#NOT_REQUESTED}. */
    public static final class Builder {
        private final KernelEvidence mode;
        private final Map<Source, SourceStatus> sources = new EnumMap<>(Source.class);

        private Builder(KernelEvidence mode) {
            this.mode = mode;
            for (Source s : Source.values()) {
                sources.put(s, SourceStatus.notRequested(s));
            }
        }

        /** Sets the status of {@code status.source()}. */
        public Builder source(SourceStatus status) {
            sources.put(status.source(), status);
            return this;
        }

        /** The immutable status. */
        public EvidenceStatus build() {
            return new EvidenceStatus(mode, new EnumMap<>(sources));
        }
    }
}
