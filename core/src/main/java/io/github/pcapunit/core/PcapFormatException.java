package io.github.pcapunit.core;

/**
 * A pcap or pcapng file that cannot be read as such. The message names the byte
 * {@link #offset()} and, for pcapng, the block type where reading stopped.
 *
 * <pre>{@code
 * catch (PcapFormatException e) {
 *     System.err.println("bad file at byte " + e.offset());
 * }
 * }</pre>
 */
public class PcapFormatException extends CaptureException {

    private static final long serialVersionUID = 1L;

    private final long offset;
    private final long blockType;

    /**
     * A format error.
     *
     * @param message what is wrong, already naming offset and block type
     * @param offset byte offset in the file where the bad structure starts
     * @param blockType the pcapng block type there, or {@code -1} (classic pcap, or unknown)
     */
    public PcapFormatException(String message, long offset, long blockType) {
        super(message);
        this.offset = offset;
        this.blockType = blockType;
    }

    /** Like {@link #PcapFormatException(String, long, long)}, keeping the cause. */
    public PcapFormatException(String message, long offset, long blockType, Throwable cause) {
        super(message, cause);
        this.offset = offset;
        this.blockType = blockType;
    }

    /** Byte offset in the file where the bad structure starts. */
    public long offset() {
        return offset;
    }

    /** The pcapng block type at {@link #offset()}, or {@code -1} when there is none. */
    public long blockType() {
        return blockType;
    }
}
