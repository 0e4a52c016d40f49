package io.github.pcapunit.core.analysis;

import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one conclusion about one flow: its {@link Fate}, how sure it is ({@link Confidence}), a
 * sentence that says what happened, where and who sent it, and the evidence lines it rests on
 * (captured packets, TTLs, kernel and firewall records). Assertions, {@code capture:verify} and
 * the {@code format} listing are computed from verdicts. Immutable; build one with
 * {@link #builder(Flow, Fate, Confidence)}.
 *
 * <pre>{@code
 * for (Verdict v : traffic.verdictsTo(1433)) {
 *     System.out.println(v);
 *     // [REFUSED, observed] TCP 10.200.1.10:50201 → 10.200.1.20:1433 was refused by the server 10.200.1.20
 *     v.evidence().forEach(line -> System.out.println("  " + line));
 * }
 * }</pre>
 */
public final class Verdict {

    private final Flow flow;
    private final Fate fate;
    private final Confidence confidence;
    private final java.util.function.Supplier<String> sentenceSource;
    private volatile String sentence;
    private final List<String> evidence;
    private final List<Drop> drops;
    private final String where;
    private final Instant time;

    private Verdict(Builder b) {
        this.flow = b.flow;
        this.fate = b.fate;
        this.confidence = b.confidence;
        this.sentenceSource = b.sentence != null ? b.sentence : () -> flow + " " + fate.text();
        this.evidence = List.copyOf(b.evidence);
        this.drops = List.copyOf(b.drops);
        this.where = b.where;
        this.time = b.time;
    }

    /**
     * A builder of the verdict that {@code flow} met {@code fate}, as sure as {@code confidence}.
     *
     * <pre>{@code Verdict.builder(flow, Fate.UNANSWERED, Confidence.OBSERVED).sentence("...").evidence("...").build();}</pre>
     */
    public static Builder builder(Flow flow, Fate fate, Confidence confidence) {
        return new Builder(flow, fate, confidence);
    }

    /** The flow, initiator → responder (for an ICMP echo: requester → target, ports -1). */
    public Flow flow() {
        return flow;
    }

    /** What happened. */
    public Fate fate() {
        return fate;
    }

    /** How sure the verdict is. */
    public Confidence confidence() {
        return confidence;
    }

    /**
     * One sentence that leads a failure message, e.g. {@code TCP 10.200.1.10:50122 → 10.200.3.20:1433
     * was dropped on this host (the kernel dropped 3 SYNs, NETFILTER_DROP at nft_do_chain) before
     * they reached a captured interface}.
     */
    public String sentence() {
        String s = sentence;
        if (s == null) {
            s = Objects.requireNonNull(sentenceSource.get(), "sentence");
            sentence = s;
        }
        return s;
    }

    /** The evidence the sentence rests on, one line each, best first. */
    public List<String> evidence() {
        return evidence;
    }

    /**
     * The drop records of this flow (wire, kernel, firewall). A flow that completed may still
     * have some (a retransmitted SYN); a client's own reset is not one.
     */
    public List<Drop> drops() {
        return drops;
    }

    /** Where it happened when known, e.g. {@code "this host"}, {@code "namespace db"}, {@code "1 hop before 10.200.3.20"}. */
    public Optional<String> where() {
        return Optional.ofNullable(where);
    }

    /** When the flow started (its first packet or record). */
    public Optional<Instant> time() {
        return Optional.ofNullable(time);
    }

    /**
     * Whether the flow failed: its fate is a failure — except an unanswered UDP datagram, since
     * UDP needs no answer (statsd, syslog); its drops still count for "no drops" checks.
     */
    public boolean isFailure() {
        if (fate == Fate.UNANSWERED && flow.protocol() == IpProtocol.UDP) {
            return false;
        }
        return fate.isFailure();
    }

    /** Whether a "no dropped packets" check must fail on this flow: it failed, or packets of it were dropped. */
    public boolean hasLoss() {
        return isFailure() || !drops.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Verdict)) {
            return false;
        }
        Verdict v = (Verdict) o;
        return flow.equals(v.flow) && fate == v.fate && confidence == v.confidence && sentence().equals(v.sentence())
                && evidence.equals(v.evidence) && drops.equals(v.drops) && Objects.equals(where, v.where)
                && Objects.equals(time, v.time);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flow, fate, confidence, sentence());
    }

    /** {@code [REFUSED, observed] } followed by the sentence. */
    @Override
    public String toString() {
        return "[" + fate + ", " + confidence.text() + "] " + sentence();
    }

    /**
     * Builder of {@link Verdict}; everything except flow, fate and confidence is optional.
     *
     * <pre>{@code Verdict.builder(flow, Fate.COMPLETED, Confidence.OBSERVED).build();}</pre>
     */
    public static final class Builder {
        private final Flow flow;
        private final Fate fate;
        private final Confidence confidence;
        private java.util.function.Supplier<String> sentence;
        private final List<String> evidence = new ArrayList<>();
        private final List<Drop> drops = new ArrayList<>();
        private String where;
        private Instant time;

        private Builder(Flow flow, Fate fate, Confidence confidence) {
            this.flow = Objects.requireNonNull(flow, "flow");
            this.fate = Objects.requireNonNull(fate, "fate");
            this.confidence = Objects.requireNonNull(confidence, "confidence");
        }

        /** The sentence; default: the flow and the fate's text. */
        public Builder sentence(String sentence) {
            Objects.requireNonNull(sentence, "sentence");
            this.sentence = () -> sentence;
            return this;
        }

        /**
         * The sentence, written on first use: a capture of 100,000 healthy connections does not
         * build 100,000 sentences nobody reads.
         */
        public Builder sentence(java.util.function.Supplier<String> sentence) {
            this.sentence = Objects.requireNonNull(sentence, "sentence");
            return this;
        }

        /** Adds an evidence line. */
        public Builder evidence(String line) {
            this.evidence.add(Objects.requireNonNull(line, "line"));
            return this;
        }

        /** Adds the flow's drop records. */
        public Builder drops(List<Drop> flowDrops) {
            this.drops.addAll(flowDrops);
            return this;
        }

        /** Where it happened. */
        public Builder where(String where) {
            this.where = where;
            return this;
        }

        /** When the flow started. */
        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        /** The verdict. */
        public Verdict build() {
            return new Verdict(this);
        }
    }
}
