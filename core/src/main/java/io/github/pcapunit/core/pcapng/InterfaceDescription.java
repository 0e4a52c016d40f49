package io.github.pcapunit.core.pcapng;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pcapng Interface Description Block: link type, snapshot length and the options
 * {@code if_name}, {@code if_description}, {@code if_filter} (BPF text), {@code if_os},
 * {@code if_tsresol} and comments. Immutable.
 *
 * <pre>{@code
 * InterfaceDescription lo = InterfaceDescription.builder()
 *         .linkType(LinkType.ETHERNET)
 *         .snaplen(262144)
 *         .name("lo")
 *         .filter("tcp port 1433")
 *         .build();
 * }</pre>
 *
 * <p>Defaults: link type {@link LinkType#ETHERNET} and snaplen {@code 0} ("no limit") when not
 * set — {@link #isLinkTypeSet()} / {@link #isSnaplenSet()} tell whether they were, so that
 * {@link PcapConversion} can take them from a pcap header instead. The timestamp resolution
 * defaults to nanoseconds ({@link #TSRESOL_NANOS}).
 */
public final class InterfaceDescription {

    /** {@code if_tsresol} value for microseconds (10^-6 s), pcapng's default. */
    public static final int TSRESOL_MICROS = 6;
    /** {@code if_tsresol} value for nanoseconds (10^-9 s), what pcapunit writes by default. */
    public static final int TSRESOL_NANOS = 9;

    private final LinkType linkType;
    private final boolean linkTypeSet;
    private final int snaplen;
    private final boolean snaplenSet;
    private final String name;
    private final String description;
    private final String filter;
    private final String os;
    private final int tsresol;
    private final List<String> comments;

    private InterfaceDescription(Builder b) {
        this.linkType = b.linkType == null ? LinkType.ETHERNET : b.linkType;
        this.linkTypeSet = b.linkType != null;
        this.snaplen = b.snaplen;
        this.snaplenSet = b.snaplenSet;
        this.name = b.name;
        this.description = b.description;
        this.filter = b.filter;
        this.os = b.os;
        this.tsresol = b.tsresol;
        this.comments = List.copyOf(b.comments);
    }

    /** A builder with nothing set (link type Ethernet, snaplen unlimited, nanoseconds). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this description's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.linkType = linkTypeSet ? linkType : null;
        b.snaplen = snaplen;
        b.snaplenSet = snaplenSet;
        b.name = name;
        b.description = description;
        b.filter = filter;
        b.os = os;
        b.tsresol = tsresol;
        b.comments.addAll(comments);
        return b;
    }

    /** The link-layer header type of the packets on this interface. */
    public LinkType linkType() {
        return linkType;
    }

    /** Whether {@link Builder#linkType(LinkType)} was called. */
    public boolean isLinkTypeSet() {
        return linkTypeSet;
    }

    /** Maximum bytes captured per packet; {@code 0} means no limit. */
    public int snaplen() {
        return snaplen;
    }

    /** Whether {@link Builder#snaplen(int)} was called. */
    public boolean isSnaplenSet() {
        return snaplenSet;
    }

    /** {@code if_name}, e.g. {@code "lo"} or {@code "any"}. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@code if_description}: free text about the interface. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** {@code if_filter}: the BPF capture filter in tcpdump syntax. */
    public Optional<String> filter() {
        return Optional.ofNullable(filter);
    }

    /** {@code if_os}: the operating system the interface belongs to. */
    public Optional<String> os() {
        return Optional.ofNullable(os);
    }

    /**
     * {@code if_tsresol} as its raw byte: bit 7 clear means 10^-n seconds, set means 2^-n
     * seconds, with n in bits 0-6. Default {@link #TSRESOL_NANOS}.
     */
    public int tsresol() {
        return tsresol;
    }

    /** The interface's {@code opt_comment}s. */
    public List<String> comments() {
        return comments;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InterfaceDescription)) {
            return false;
        }
        InterfaceDescription d = (InterfaceDescription) o;
        return linkType.equals(d.linkType)
                && snaplen == d.snaplen
                && Objects.equals(name, d.name) && Objects.equals(description, d.description)
                && Objects.equals(filter, d.filter) && Objects.equals(os, d.os)
                && tsresol == d.tsresol && comments.equals(d.comments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(linkType, snaplen, name, description, filter, os, tsresol, comments);
    }

    @Override
    public String toString() {
        return "InterfaceDescription[linkType=" + linkType + ", snaplen=" + snaplen
                + ", name=" + name + ", description=" + description + ", filter=" + filter
                + ", os=" + os + ", tsresol=" + tsresol + ", comments=" + comments + "]";
    }

    /**
     * Builds an {@link InterfaceDescription}.
     *
     * <pre>{@code
     * InterfaceDescription.builder().linkType(LinkType.LINUX_SLL2).name("any").build();
     * }</pre>
     */
    public static final class Builder {
        private LinkType linkType;
        private int snaplen;
        private boolean snaplenSet;
        private String name;
        private String description;
        private String filter;
        private String os;
        private int tsresol = TSRESOL_NANOS;
        private final List<String> comments = new ArrayList<>();

        private Builder() {
        }

        /** Sets the link type; {@code null} unsets it (back to the default, Ethernet). */
        public Builder linkType(LinkType linkType) {
            this.linkType = linkType;
            return this;
        }

        /**
         * Sets the snapshot length.
         *
         * @throws IllegalArgumentException if {@code snaplen} is negative
         */
        public Builder snaplen(int snaplen) {
            if (snaplen < 0) {
                throw new IllegalArgumentException("snaplen " + snaplen
                        + " is negative; use 0 for 'no limit' or a positive byte count such as 262144");
            }
            this.snaplen = snaplen;
            this.snaplenSet = true;
            return this;
        }

        /** Sets {@code if_name}; {@code null} unsets it. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Sets {@code if_description}; {@code null} unsets it. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Sets {@code if_filter} (tcpdump filter syntax); {@code null} unsets it. */
        public Builder filter(String filter) {
            this.filter = filter;
            return this;
        }

        /** Sets {@code if_os}; {@code null} unsets it. */
        public Builder os(String os) {
            this.os = os;
            return this;
        }

        /**
         * Sets {@code if_tsresol} as its raw byte (see {@link InterfaceDescription#tsresol()}).
         *
         * @throws IllegalArgumentException if the resolution is finer than 10^-18 s or 2^-63 s
         */
        public Builder tsresol(int tsresol) {
            int exp = tsresol & 0x7F;
            boolean pow2 = (tsresol & 0x80) != 0;
            if (tsresol < 0 || tsresol > 0xFF || (!pow2 && exp > 18) || (pow2 && exp > 63)) {
                throw new IllegalArgumentException("if_tsresol " + tsresol
                        + " is out of range; use InterfaceDescription.TSRESOL_NANOS (9),"
                        + " TSRESOL_MICROS (6), 0..18 for 10^-n s or 0x80|n (n <= 63) for 2^-n s");
            }
            this.tsresol = tsresol;
            return this;
        }

        /** Adds an {@code opt_comment}. */
        public Builder comment(String comment) {
            comments.add(Objects.requireNonNull(comment, "comment"));
            return this;
        }

        /** The immutable description. */
        public InterfaceDescription build() {
            return new InterfaceDescription(this);
        }
    }
}
