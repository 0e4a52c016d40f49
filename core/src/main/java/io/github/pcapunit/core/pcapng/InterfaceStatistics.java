package io.github.pcapunit.core.pcapng;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The counters of a pcapng Interface Statistics Block: {@code isb_starttime},
 * {@code isb_endtime}, {@code isb_ifrecv}, {@code isb_ifdrop}, {@code isb_osdrop},
 * {@code isb_filteraccept}, {@code isb_usrdeliv} and a comment. Immutable; every value may be
 * unknown (empty), and an unknown value is not written.
 *
 * <pre>{@code
 * InterfaceStatistics stats = InterfaceStatistics.builder()
 *         .start(started).end(Instant.now())
 *         .ifRecv(1042).ifDrop(0).osDrop(3)
 *         .build();
 * stats.osDrop();   // OptionalLong[3]
 * }</pre>
 *
 * <p>libpcap's {@code ps_recv} maps to {@code ifRecv}, {@code ps_drop} to {@code osDrop}
 * (dropped for lack of buffer space), {@code ps_ifdrop} to {@code ifDrop}.
 */
public final class InterfaceStatistics {

    private final Instant start;
    private final Instant end;
    private final long ifRecv;
    private final long ifDrop;
    private final long osDrop;
    private final long filterAccept;
    private final long usrDeliv;
    private final String comment;

    private static final long UNKNOWN = -1;

    private InterfaceStatistics(Builder b) {
        this.start = b.start;
        this.end = b.end;
        this.ifRecv = b.ifRecv;
        this.ifDrop = b.ifDrop;
        this.osDrop = b.osDrop;
        this.filterAccept = b.filterAccept;
        this.usrDeliv = b.usrDeliv;
        this.comment = b.comment;
    }

    /** A builder with every value unknown. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this block's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.start = start;
        b.end = end;
        b.ifRecv = ifRecv;
        b.ifDrop = ifDrop;
        b.osDrop = osDrop;
        b.filterAccept = filterAccept;
        b.usrDeliv = usrDeliv;
        b.comment = comment;
        return b;
    }

    /** {@code isb_starttime}: when counting started. */
    public Optional<Instant> start() {
        return Optional.ofNullable(start);
    }

    /**
     * {@code isb_endtime}: when the counters were read. Also the block's own timestamp when
     * written; the writer uses "now" when it is unknown.
     */
    public Optional<Instant> end() {
        return Optional.ofNullable(end);
    }

    /** {@code isb_ifrecv}: packets the interface received (libpcap {@code ps_recv}). */
    public OptionalLong ifRecv() {
        return opt(ifRecv);
    }

    /** {@code isb_ifdrop}: packets the interface/driver dropped (libpcap {@code ps_ifdrop}). */
    public OptionalLong ifDrop() {
        return opt(ifDrop);
    }

    /** {@code isb_osdrop}: packets the OS dropped for lack of buffer (libpcap {@code ps_drop}). */
    public OptionalLong osDrop() {
        return opt(osDrop);
    }

    /** {@code isb_filteraccept}: packets the capture filter accepted. */
    public OptionalLong filterAccept() {
        return opt(filterAccept);
    }

    /** {@code isb_usrdeliv}: packets delivered to the capturing application. */
    public OptionalLong usrDeliv() {
        return opt(usrDeliv);
    }

    /** The block's {@code opt_comment}, if any. */
    public Optional<String> comment() {
        return Optional.ofNullable(comment);
    }

    private static OptionalLong opt(long v) {
        return v == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(v);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InterfaceStatistics)) {
            return false;
        }
        InterfaceStatistics s = (InterfaceStatistics) o;
        return Objects.equals(start, s.start) && Objects.equals(end, s.end)
                && ifRecv == s.ifRecv && ifDrop == s.ifDrop && osDrop == s.osDrop
                && filterAccept == s.filterAccept && usrDeliv == s.usrDeliv
                && Objects.equals(comment, s.comment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, ifRecv, ifDrop, osDrop, filterAccept, usrDeliv, comment);
    }

    @Override
    public String toString() {
        return "InterfaceStatistics[start=" + start + ", end=" + end + ", ifRecv=" + ifRecv()
                + ", ifDrop=" + ifDrop() + ", osDrop=" + osDrop() + ", filterAccept="
                + filterAccept() + ", usrDeliv=" + usrDeliv() + ", comment=" + comment + "]";
    }

    /**
     * Builds {@link InterfaceStatistics}; counters left unset stay unknown.
     *
     * <pre>{@code
     * InterfaceStatistics.builder().ifRecv(10).osDrop(0).build();
     * }</pre>
     */
    public static final class Builder {
        private Instant start;
        private Instant end;
        private long ifRecv = UNKNOWN;
        private long ifDrop = UNKNOWN;
        private long osDrop = UNKNOWN;
        private long filterAccept = UNKNOWN;
        private long usrDeliv = UNKNOWN;
        private String comment;

        private Builder() {
        }

        /** Sets {@code isb_starttime}; {@code null} makes it unknown. */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** Sets {@code isb_endtime}; {@code null} makes it unknown. */
        public Builder end(Instant end) {
            this.end = end;
            return this;
        }

        /** Sets {@code isb_ifrecv}. @throws IllegalArgumentException if negative */
        public Builder ifRecv(long count) {
            this.ifRecv = count(count, "ifRecv");
            return this;
        }

        /** Sets {@code isb_ifdrop}. @throws IllegalArgumentException if negative */
        public Builder ifDrop(long count) {
            this.ifDrop = count(count, "ifDrop");
            return this;
        }

        /** Sets {@code isb_osdrop}. @throws IllegalArgumentException if negative */
        public Builder osDrop(long count) {
            this.osDrop = count(count, "osDrop");
            return this;
        }

        /** Sets {@code isb_filteraccept}. @throws IllegalArgumentException if negative */
        public Builder filterAccept(long count) {
            this.filterAccept = count(count, "filterAccept");
            return this;
        }

        /** Sets {@code isb_usrdeliv}. @throws IllegalArgumentException if negative */
        public Builder usrDeliv(long count) {
            this.usrDeliv = count(count, "usrDeliv");
            return this;
        }

        /** Sets the block's comment; {@code null} removes it. */
        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        /** The immutable statistics. */
        public InterfaceStatistics build() {
            return new InterfaceStatistics(this);
        }

        private static long count(long v, String name) {
            if (v < 0) {
                throw new IllegalArgumentException(name + " = " + v
                        + " is negative; counters are 0 or more (leave unset when unknown)");
            }
            return v;
        }
    }
}
