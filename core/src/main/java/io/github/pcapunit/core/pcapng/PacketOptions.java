package io.github.pcapunit.core.pcapng;

import io.github.pcapunit.core.pcapng.internal.LinkFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The per-packet options of a pcapng Enhanced Packet Block: {@code opt_comment} (repeatable),
 * {@code epb_flags} (direction and more), {@code epb_dropcount}, {@code epb_packetid},
 * {@code epb_verdict} (repeatable) and {@code epb_processid_threadid}. Immutable; unset options
 * are not written.
 *
 * <pre>{@code
 * PacketOptions opts = PacketOptions.builder()
 *         .direction(Direction.OUTBOUND)
 *         .comment("dropped by nft table pcapunit_t1 chain out")
 *         .packetId(42)
 *         .build();
 * writer.writePacket(0, ts, data.length, data, 0, data.length, opts);
 * }</pre>
 */
public final class PacketOptions {

    /** {@code epb_verdict} type: hardware verdict. */
    public static final int VERDICT_HARDWARE = 0;
    /** {@code epb_verdict} type: Linux eBPF TC verdict (8-byte value). */
    public static final int VERDICT_LINUX_EBPF_TC = 1;
    /** {@code epb_verdict} type: Linux eBPF XDP verdict (8-byte value). */
    public static final int VERDICT_LINUX_EBPF_XDP = 2;

    private static final PacketOptions NONE = builder().build();

    private final List<String> comments;
    private final int flags;
    private final boolean flagsSet;
    private final long dropCount;
    private final long packetId;
    private final List<byte[]> verdicts;
    private final long processId;
    private final long threadId;

    private PacketOptions(Builder b) {
        this.comments = List.copyOf(b.comments);
        this.flags = b.flags;
        this.flagsSet = b.flagsSet;
        this.dropCount = b.dropCount;
        this.packetId = b.packetId;
        List<byte[]> v = new ArrayList<>(b.verdicts.size());
        b.verdicts.forEach(x -> v.add(x.clone()));
        this.verdicts = List.copyOf(v);
        this.processId = b.processId;
        this.threadId = b.threadId;
    }

    /** Options with nothing set. */
    public static PacketOptions none() {
        return NONE;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.comments.addAll(comments);
        b.flags = flags;
        b.flagsSet = flagsSet;
        b.dropCount = dropCount;
        b.packetId = packetId;
        b.verdicts.addAll(verdicts);
        b.processId = processId;
        b.threadId = threadId;
        return b;
    }

    /** The packet's comments ({@code opt_comment}), in order. */
    public List<String> comments() {
        return comments;
    }

    /** The raw 32-bit {@code epb_flags}, if set. */
    public OptionalInt flags() {
        return flagsSet ? OptionalInt.of(flags) : OptionalInt.empty();
    }

    /** The direction from {@code epb_flags} bits 0-1; {@link Direction#UNKNOWN} when unset. */
    public Direction direction() {
        return flagsSet ? directionOf(flags) : Direction.UNKNOWN;
    }

    /** {@code epb_dropcount}: packets lost between this one and the previous one. */
    public OptionalLong dropCount() {
        return dropCount < 0 ? OptionalLong.empty() : OptionalLong.of(dropCount);
    }

    /** {@code epb_packetid}: a 64-bit identifier of the packet. */
    public OptionalLong packetId() {
        return packetId == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(packetId);
    }

    /**
     * The {@code epb_verdict} values, each as its raw bytes: a type byte
     * ({@link #VERDICT_HARDWARE}, {@link #VERDICT_LINUX_EBPF_TC}, {@link #VERDICT_LINUX_EBPF_XDP})
     * then the verdict data. Copies; changing them does not change these options.
     */
    public List<byte[]> verdicts() {
        List<byte[]> copy = new ArrayList<>(verdicts.size());
        verdicts.forEach(v -> copy.add(v.clone()));
        return copy;
    }

    /** Process id from {@code epb_processid_threadid}, if set. */
    public OptionalLong processId() {
        return processId < 0 ? OptionalLong.empty() : OptionalLong.of(processId);
    }

    /** Thread id from {@code epb_processid_threadid}, if set. */
    public OptionalLong threadId() {
        return threadId < 0 ? OptionalLong.empty() : OptionalLong.of(threadId);
    }

    /** Whether no option is set. */
    public boolean isEmpty() {
        return comments.isEmpty() && !flagsSet && dropCount < 0 && packetId == Long.MIN_VALUE
                && verdicts.isEmpty() && processId < 0;
    }

    /** The {@link Direction} encoded in bits 0-1 of {@code epbFlags}. */
    public static Direction directionOf(int epbFlags) {
        switch (epbFlags & 3) {
            case 1:
                return Direction.INBOUND;
            case 2:
                return Direction.OUTBOUND;
            default:
                return Direction.UNKNOWN;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PacketOptions)) {
            return false;
        }
        PacketOptions p = (PacketOptions) o;
        if (verdicts.size() != p.verdicts.size()) {
            return false;
        }
        for (int i = 0; i < verdicts.size(); i++) {
            if (!java.util.Arrays.equals(verdicts.get(i), p.verdicts.get(i))) {
                return false;
            }
        }
        return comments.equals(p.comments) && flags == p.flags && flagsSet == p.flagsSet
                && dropCount == p.dropCount && packetId == p.packetId
                && processId == p.processId && threadId == p.threadId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(comments, flags, dropCount, packetId, processId, threadId);
    }

    @Override
    public String toString() {
        return "PacketOptions[comments=" + comments + ", flags=" + flags() + ", dropCount="
                + dropCount() + ", packetId=" + packetId() + ", verdicts=" + verdicts.size()
                + ", processId=" + processId() + ", threadId=" + threadId() + "]";
    }

    /**
     * Builds {@link PacketOptions}.
     *
     * <pre>{@code
     * PacketOptions.builder().comment("first").comment("second").dropCount(0).build();
     * }</pre>
     */
    public static final class Builder {
        private final List<String> comments = new ArrayList<>();
        private int flags;
        private boolean flagsSet;
        private long dropCount = -1;
        private long packetId = Long.MIN_VALUE;
        private final List<byte[]> verdicts = new ArrayList<>();
        private long processId = -1;
        private long threadId = -1;

        private Builder() {
        }

        /** Adds an {@code opt_comment}. */
        public Builder comment(String comment) {
            comments.add(Objects.requireNonNull(comment, "comment"));
            return this;
        }

        /** Replaces all comments. */
        public Builder comments(List<String> comments) {
            this.comments.clear();
            comments.forEach(this::comment);
            return this;
        }

        /** Sets the raw 32-bit {@code epb_flags} (bits 0-1 are the direction). */
        public Builder flags(int epbFlags) {
            this.flags = epbFlags;
            this.flagsSet = true;
            return this;
        }

        /**
         * Sets {@code epb_flags} from a Linux cooked header ({@link LinkType#LINUX_SLL},
         * {@link LinkType#LINUX_SLL2}): direction and reception type from its packet type, the
         * same rule pcapunit's conversions use. Leaves the flags unset when the header does not
         * tell (another link type, a frame too short, an unknown packet type).
         *
         * <pre>{@code
         * w.writePacket(0, ts, frame.length, frame, 0, frame.length,
         *         PacketOptions.builder().flagsFromCookedHeader(LinkType.LINUX_SLL2, frame, 0, frame.length).build());
         * }</pre>
         */
        public Builder flagsFromCookedHeader(LinkType linkType, byte[] frame, int offset, int length) {
            Objects.requireNonNull(linkType, "linkType");
            Objects.checkFromIndexSize(offset, length, frame.length);
            int value = linkType.value();
            if (value == LinkFlags.LINUX_SLL || value == LinkFlags.LINUX_SLL2) {
                int f = LinkFlags.epbFlags(value, null, frame, offset, length);
                if (f >= 0) {
                    flags(f);
                }
            }
            return this;
        }

        /**
         * Sets the direction bits of {@code epb_flags}, keeping the other bits.
         * {@link Direction#UNKNOWN} clears them (flags are still written, with direction 0).
         */
        public Builder direction(Direction direction) {
            int bits = direction == Direction.INBOUND ? 1 : direction == Direction.OUTBOUND ? 2 : 0;
            this.flags = (flags & ~3) | bits;
            this.flagsSet = true;
            return this;
        }

        /** Sets {@code epb_dropcount}. @throws IllegalArgumentException if negative */
        public Builder dropCount(long dropCount) {
            if (dropCount < 0) {
                throw new IllegalArgumentException("dropCount " + dropCount
                        + " is negative; use 0 or more");
            }
            this.dropCount = dropCount;
            return this;
        }

        /** Sets {@code epb_packetid}. */
        public Builder packetId(long packetId) {
            if (packetId == Long.MIN_VALUE) {
                throw new IllegalArgumentException("packetId Long.MIN_VALUE is reserved; use another id");
            }
            this.packetId = packetId;
            return this;
        }

        /**
         * Adds an {@code epb_verdict}: {@code type} (0 hardware, 1 eBPF TC, 2 eBPF XDP) and its
         * data (8 bytes, little endian, for the eBPF types).
         *
         * @throws IllegalArgumentException if {@code type} is not 0..255
         */
        public Builder verdict(int type, byte[] data) {
            if (type < 0 || type > 255) {
                throw new IllegalArgumentException("verdict type " + type
                        + " is not a byte; use PacketOptions.VERDICT_HARDWARE (0), "
                        + "VERDICT_LINUX_EBPF_TC (1) or VERDICT_LINUX_EBPF_XDP (2)");
            }
            byte[] v = new byte[data.length + 1];
            v[0] = (byte) type;
            System.arraycopy(data, 0, v, 1, data.length);
            verdicts.add(v);
            return this;
        }

        /** Adds an eBPF verdict with a 64-bit little-endian value, e.g. XDP_DROP = 1. */
        public Builder verdict(int type, long value) {
            byte[] d = new byte[8];
            for (int i = 0; i < 8; i++) {
                d[i] = (byte) (value >>> (8 * i));
            }
            return verdict(type, d);
        }

        /** Adds a raw {@code epb_verdict} value (type byte first); used by the reader. */
        public Builder rawVerdict(byte[] typeAndData) {
            if (typeAndData.length == 0) {
                throw new IllegalArgumentException("an epb_verdict needs at least its type byte");
            }
            verdicts.add(typeAndData.clone());
            return this;
        }

        /**
         * Sets {@code epb_processid_threadid}.
         *
         * @throws IllegalArgumentException if either id is not a 32-bit unsigned value
         */
        public Builder processThread(long processId, long threadId) {
            if (processId < 0 || processId > 0xFFFF_FFFFL || threadId < 0 || threadId > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("process id " + processId + " / thread id "
                        + threadId + " must each be 0..4294967295");
            }
            this.processId = processId;
            this.threadId = threadId;
            return this;
        }

        /** The immutable options. */
        public PacketOptions build() {
            return new PacketOptions(this);
        }
    }
}
