package io.github.pcapunit.core.pcapng;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pcapng Section Header Block's descriptive options: {@code shb_hardware}, {@code shb_os},
 * {@code shb_userappl} and any number of {@code opt_comment}s. Immutable; every option is
 * optional and an unset option is simply not written.
 *
 * <pre>{@code
 * SectionHeader shb = SectionHeader.builder()
 *         .userAppl("pcapunit 0.1.0")
 *         .os("Linux 6.1")
 *         .comment("captured by OrderServiceTest.placesOrder")
 *         .build();
 * }</pre>
 *
 * <p>When read back, {@link #byteOrder()} tells the byte order the section was written in
 * (the writer always uses little endian; classic pcap files report theirs as well).
 */
public final class SectionHeader {

    private static final SectionHeader EMPTY = builder().build();

    private final String hardware;
    private final String os;
    private final String userAppl;
    private final List<String> comments;
    private final ByteOrder byteOrder;

    private SectionHeader(Builder b) {
        this.hardware = b.hardware;
        this.os = b.os;
        this.userAppl = b.userAppl;
        this.comments = List.copyOf(b.comments);
        this.byteOrder = b.byteOrder;
    }

    /** A section header without options. */
    public static SectionHeader empty() {
        return EMPTY;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this header's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hardware = hardware;
        b.os = os;
        b.userAppl = userAppl;
        b.comments.addAll(comments);
        b.byteOrder = byteOrder;
        return b;
    }

    /** {@code shb_hardware}: the hardware the capture ran on, e.g. the CPU model. */
    public Optional<String> hardware() {
        return Optional.ofNullable(hardware);
    }

    /** {@code shb_os}: the operating system, e.g. {@code "Linux 6.1.0-18-amd64"}. */
    public Optional<String> os() {
        return Optional.ofNullable(os);
    }

    /** {@code shb_userappl}: the application that wrote the section. */
    public Optional<String> userAppl() {
        return Optional.ofNullable(userAppl);
    }

    /** The section's {@code opt_comment}s, in file order (possibly empty). */
    public List<String> comments() {
        return comments;
    }

    /** Byte order of the section as read; {@link ByteOrder#LITTLE_ENDIAN} for new headers. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SectionHeader)) {
            return false;
        }
        SectionHeader s = (SectionHeader) o;
        return Objects.equals(hardware, s.hardware) && Objects.equals(os, s.os)
                && Objects.equals(userAppl, s.userAppl) && comments.equals(s.comments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hardware, os, userAppl, comments);
    }

    @Override
    public String toString() {
        return "SectionHeader[hardware=" + hardware + ", os=" + os + ", userAppl=" + userAppl
                + ", comments=" + comments + "]";
    }

    /**
     * Builds a {@link SectionHeader}.
     *
     * <pre>{@code
     * SectionHeader.builder().hardware("x86_64").comment("one").comment("two").build();
     * }</pre>
     */
    public static final class Builder {
        private String hardware;
        private String os;
        private String userAppl;
        private final List<String> comments = new ArrayList<>();
        private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;

        private Builder() {
        }

        /** Sets {@code shb_hardware}; {@code null} unsets it. */
        public Builder hardware(String hardware) {
            this.hardware = hardware;
            return this;
        }

        /** Sets {@code shb_os}; {@code null} unsets it. */
        public Builder os(String os) {
            this.os = os;
            return this;
        }

        /** Sets {@code shb_userappl}; {@code null} unsets it. */
        public Builder userAppl(String userAppl) {
            this.userAppl = userAppl;
            return this;
        }

        /**
         * Adds an {@code opt_comment}.
         *
         * @throws NullPointerException if {@code comment} is null
         */
        public Builder comment(String comment) {
            comments.add(Objects.requireNonNull(comment, "comment"));
            return this;
        }

        /** Replaces all comments with {@code comments}. */
        public Builder comments(List<String> comments) {
            this.comments.clear();
            comments.forEach(this::comment);
            return this;
        }

        /** The byte order the section was read in; only the reader needs to set it. */
        public Builder byteOrder(ByteOrder byteOrder) {
            this.byteOrder = Objects.requireNonNull(byteOrder, "byteOrder");
            return this;
        }

        /** The immutable header. */
        public SectionHeader build() {
            return new SectionHeader(this);
        }
    }
}
