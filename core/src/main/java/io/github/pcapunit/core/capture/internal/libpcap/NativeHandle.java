package io.github.pcapunit.core.capture.internal.libpcap;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.CaptureNotPermittedException;
import io.github.pcapunit.core.InvalidFilterException;
import java.nio.file.Path;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * One live libpcap handle writing through libpcap's own dumper. The capture loop runs on a thread
 * of its own ({@link #runLoop}); every other method may be called from any thread.
 */
public final class NativeHandle {

    /** A filter no packet passes (a frame of at most one byte): what a parked handle captures. */
    private static final String REJECT_ALL = "less 1";
    /** libpcap's PCAP_ERROR_PERM. */
    static final int PCAP_ERROR_PERM = -8;
    /** LINKTYPE_LINUX_SLL2. */
    public static final int LINUX_SLL2 = 276;
    private static final int PCAP_RECORD_HEADER = 16;
    /** Upper bound of packets per pcap_dispatch call under a size cap (keeps ftell checks frequent). */
    private static final int MAX_BATCH = 1 << 20;

    /** The text CaptureNotPermittedException carries. */
    public static final String PERMISSION_FIX = "run as root, or grant the java binary the capture "
            + "capabilities: sudo setcap cap_net_raw,cap_net_admin=eip \"$(readlink -f \"$(command -v java)\")\" "
            + "(after setcap the JVM may fail with \"libjli.so: cannot open shared object file\", because "
            + "the loader ignores relative library paths of privileged binaries; fix it with "
            + "echo \"$JAVA_HOME/lib\" | sudo tee /etc/ld.so.conf.d/java.conf && sudo ldconfig)";

    private final String interfaceName;
    private final PcapHandle handle;
    private final int linkType;
    private final int snaplen;
    /** Below this much free space on the native file's file system, writing has failed (or is about to). */
    private static final long MIN_FREE_BYTES = 64 * 1024;

    private volatile PcapDumper dumper;
    private volatile Path dumpFile;
    /** The native file's {@code FILE*}, or null when pcap_dump_file is missing. */
    private volatile com.sun.jna.Pointer dumpStream;
    /** The native file's file system ({@link #store}). */
    private java.nio.file.FileStore dumpStore;
    /**
     * File systems by directory, looked up once per JVM: the lookup parses the mount table (about
     * a millisecond), once per capture it was most of a short capture's checking cost. A store
     * made for the directory asks the kernel about whatever is mounted there at each call.
     */
    private static final java.util.Map<Path, java.nio.file.FileStore> STORES =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The native file's stdio buffer ({@link DumpBuffer}), freed once the dumper is closed; 0 for libc's own. */
    private volatile long dumpBuffer;
    /** The dumper's position at the last check that found the file whole: nothing new, nothing to check. */
    private long checkedPosition = -1;
    /** Why writing the native file failed (e.g. "No space left on device"), or null. */
    private volatile String writeFailure;
    private volatile long writeFailedNanos = -1;
    private volatile boolean stopRequested;
    private volatile boolean capReached;

    /** What the handle was opened with besides its filter: a parked handle is reused only for the same. */
    private final String settings;
    /** pcap_stats when the handle was last {@linkplain #reuse reused}: {@link #stats()} counts from there. */
    private volatile long[] statsBase = {0, 0, 0};

    private NativeHandle(String interfaceName, PcapHandle handle, int linkType, int snaplen, String settings) {
        this.interfaceName = interfaceName;
        this.handle = handle;
        this.linkType = linkType;
        this.snaplen = snaplen;
        this.settings = settings;
    }

    /** The key a handle opened with these arguments has ({@link #settings()}). */
    public static String settings(String interfaceName, int snaplen, int bufferSize, int timeoutMillis) {
        return interfaceName + "|" + snaplen + "|" + bufferSize + "|" + timeoutMillis;
    }

    /** Interface, snaplen, kernel buffer and read timeout it was opened with, as {@link #settings(String, int, int, int)}. */
    public String settings() {
        return settings;
    }

    /**
     * Makes a stopped handle (loop ended, dumper closed) capture nothing, so it can wait for the
     * next capture with the same settings without copying packets: opening a handle costs several
     * milliseconds of kernel time (allocating and mapping the ring, an RCU grace period) and
     * closing one tens of milliseconds.
     */
    public void park() {
        try {
            handle.setFilter(REJECT_ALL, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException("cannot park the capture handle of \"" + interfaceName + "\": "
                    + Libpcap.reason(e.getMessage()), e);
        }
    }

    /**
     * Readies a {@linkplain #park() parked} handle for a new capture with {@code filter} (null:
     * every packet): statistics count from now, no stop, failure or cap is remembered. Packets
     * still in the ring from before are older than the new capture's start, which the conversion
     * leaves out.
     *
     * @throws InvalidFilterException when {@code filter} does not compile for this handle (it stays parked)
     */
    public void reuse(String filter) {
        try {
            handle.setFilter(filter == null ? "" : filter, BpfProgram.BpfCompileMode.OPTIMIZE,
                    PcapHandle.PCAP_NETMASK_UNKNOWN);
        } catch (PcapNativeException e) {
            String reason;
            try {
                reason = Libpcap.reason(handle.getError());
            } catch (NotOpenException closed) {
                reason = Libpcap.reason(e.getMessage());
            }
            InvalidFilterException invalid = Libpcap.invalidFilter(filter, reason);
            invalid.initCause(e);
            throw invalid;
        } catch (NotOpenException e) {
            throw new CaptureException("the parked capture handle of \"" + interfaceName + "\" was closed", e);
        }
        statsBase = rawStats();
        stopRequested = false;
        capReached = false;
        writeFailure = null;
        writeFailedNanos = -1;
        checkedPosition = -1;
    }

    /**
     * Opens and activates a handle: no promiscuous mode, no immediate mode, explicit read timeout,
     * nanosecond timestamps, LINUX_SLL2 on {@code any}, filter set.
     */
    public static NativeHandle open(String interfaceName, int snaplen, int bufferSize, int timeoutMillis,
            String filter) {
        Libpcap.version();
        PcapHandle h;
        try {
            h = new PcapHandle.Builder(interfaceName)
                    .snaplen(snaplen)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(timeoutMillis)
                    .bufferSize(bufferSize)
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .build();
        } catch (PcapNativeException e) {
            throw openFailure(interfaceName, e);
        }
        try {
            int dlt = h.getDlt().value();
            if ("any".equals(interfaceName)) {
                try {
                    h.setDlt(DataLinkType.getInstance(LINUX_SLL2));
                    dlt = LINUX_SLL2;
                } catch (PcapNativeException e) {
                    // libpcap before 1.10 has no SLL2: keep SLL, which still has a packet type.
                    dlt = h.getDlt().value();
                }
            }
            if (filter != null) {
                try {
                    h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
                } catch (PcapNativeException e) {
                    // link-specific primitives (e.g. "ether host" on a RAW interface) fail only here
                    InvalidFilterException invalid = Libpcap.invalidFilter(filter, Libpcap.reason(h.getError()));
                    invalid.initCause(e);
                    throw invalid;
                }
            }
            return new NativeHandle(interfaceName, h, dlt, snaplen,
                    settings(interfaceName, snaplen, bufferSize, timeoutMillis));
        } catch (InvalidFilterException e) {
            h.close();
            throw e;
        } catch (NotOpenException | RuntimeException e) {
            h.close();
            throw new CaptureException("cannot set up the capture on \"" + interfaceName + "\": "
                    + Libpcap.reason(e.getMessage()), e);
        }
    }

    /** Opens and closes a handle on the loopback interface to learn whether capturing is allowed. */
    public static void probeLoopback() {
        NativeHandle h = open("lo", 128, 65_536, 10, null);
        h.handle.close();
    }

    private static CaptureException openFailure(String interfaceName, PcapNativeException e) {
        Integer rc = e.getReturnCode();
        String reason = Libpcap.reason(e.getMessage());
        if ((rc != null && rc == PCAP_ERROR_PERM) || reason.contains("Operation not permitted")
                || reason.contains("ermission denied")) {
            return new CaptureNotPermittedException("capture not permitted on \"" + interfaceName + "\" ("
                    + reason + "): " + PERMISSION_FIX, e);
        }
        return new CaptureException("cannot open a capture on \"" + interfaceName + "\": " + reason, e);
    }

    /** The interface this handle captures on. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The link-layer type of captured packets. */
    public int linkType() {
        return linkType;
    }

    /** Opens libpcap's dumper on {@code file} (a classic pcap with nanosecond timestamps). */
    public void openDumper(Path file) {
        try {
            dumper = handle.dumpOpen(file.toString());
            dumpFile = file;
            dumpStore = null;
            checkedPosition = -1;
            dumpBuffer = DumpBuffer.enlarge(dumper);
            dumpStream = Natives.stream(dumper);
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException("cannot write the capture file " + file + ": "
                    + Libpcap.reason(e.getMessage()), e);
        }
    }

    /**
     * Runs the capture loop on the calling thread until {@link #requestStop()}, writing every
     * packet natively. With {@code maxBytes > 0} the native file never grows beyond it: the loop
     * reads in batches of packets that surely fit, and stops writing when the next might not.
     *
     * <p>The loop calls {@code pcap_dispatch} with libpcap's {@code pcap_dump} as the callback, so
     * packets never cross into Java; it returns once per batch of ring blocks the kernel handed
     * over (when a block is full, or at the read timeout). After each batch the loop flushes the
     * native file, so a JVM killed with SIGKILL leaves a file holding every packet the kernel had
     * handed over, and asks the C library whether any write of the stream failed ({@code
     * ferror}: libpcap's dumper ignores a failed write, e.g. a full disk, and the C library drops
     * what it could not write). On a failure it stops writing (the file keeps every packet written
     * before), warns once on stderr, and {@link #writeFailure()} says why. This replaces a flusher
     * thread that woke every 200 ms in every capturing JVM to flush, stat and statfs the file: at
     * low packet rates that cost more CPU than capturing.
     *
     * @param looping called on this thread once it is about to enter the loop
     * @return true when the size cap stopped writing
     */
    public boolean runLoop(long maxBytes, Runnable looping) {
        java.util.concurrent.locks.Lock lock = Natives.readLock(handle);
        if (!lock.tryLock()) {
            looping.run();
            return false; // closed: nothing to capture
        }
        try {
            looping.run();
            com.sun.jna.Pointer pcap = Natives.pcap(handle);
            com.sun.jna.Pointer dump = Natives.dumper(dumper);
            while (!stopRequested) {
                int count = -1;   // every packet the kernel handed over
                if (maxBytes > 0) {
                    long room = maxBytes - dumper.ftell();
                    long fit = room / (PCAP_RECORD_HEADER + snaplen);
                    if (fit < 1) {
                        capReached = true;
                        flushChecked();
                        return true;
                    }
                    count = (int) Math.min(fit, MAX_BATCH);
                }
                int rc = Dispatch.pcap_dispatch(pcap, count, Natives.PCAP_DUMP, dump);
                if (rc == -1) {
                    throw new CaptureException("capture on \"" + interfaceName + "\" failed: "
                            + Libpcap.reason(handle.getError()));
                }
                if (rc > 0 && !flushChecked()) {
                    return false;
                }
                // rc -2: pcap_breakloop; the loop re-checks stopRequested
            }
            return false;
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException("capture on \"" + interfaceName + "\" failed: "
                    + Libpcap.reason(e.getMessage()), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code pcap_dispatch}, bound directly (no per-call reflection): the loop calls it once per
     * batch of ring blocks. pcap4j has no dispatch into a dumper.
     */
    static final class Dispatch {
        static {
            com.sun.jna.Native.register(Dispatch.class, com.sun.jna.NativeLibrary.getInstance(System.getProperty(
                    Libpcap.LIB_NAME_PROPERTY, com.sun.jna.Platform.isWindows() ? "wpcap" : "pcap")));
        }

        private Dispatch() {
        }

        static native int pcap_dispatch(com.sun.jna.Pointer pcap, int count, com.sun.jna.Pointer callback,
                com.sun.jna.Pointer user);
    }

    /**
     * Flushes the dumper and asks the C library whether a write of its stream failed; on a
     * failure records it, warns once and returns false. The loop calls it after each batch.
     */
    private synchronized boolean flushChecked() {
        PcapDumper d = dumper;
        if (d == null || writeFailure != null) {
            return writeFailure == null;
        }
        String failure = null;
        try {
            d.flush();
            if (dumpStream != null && Libc.ferror(dumpStream) != 0) {
                failure = "a write to the file failed" + diskSpace(dumpFile);
            }
        } catch (PcapNativeException | NotOpenException e) {
            failure = Libpcap.reason(e.getMessage()) + diskSpace(dumpFile);
        }
        if (failure == null) {
            return true;
        }
        fail(failure, dumpFile);
        return false;
    }

    /** {@code ferror}, bound directly: the loop calls it after each batch. */
    static final class Libc {
        static {
            com.sun.jna.Native.register(Libc.class, com.sun.jna.Platform.C_LIBRARY_NAME);
        }

        private Libc() {
        }

        static native int ferror(com.sun.jna.Pointer stream);
    }

    /**
     * Flushes the dumper and checks the file holds everything handed to it and that its file
     * system has room; on a failure records it, warns once and returns false. Run once more when
     * the dumper closes.
     */
    synchronized boolean checkWritten() {
        PcapDumper d = dumper;
        Path file = dumpFile;
        if (d == null || file == null || writeFailure != null) {
            return writeFailure == null;
        }
        String failure = null;
        try {
            // every byte handed over before the flush must be in the file after it; bytes the
            // loop adds meanwhile only make the file longer
            long expected = d.ftell();
            if (expected == checkedPosition) {
                return true; // nothing handed over since the last check (an idle capture costs one ftell)
            }
            d.flush();
            long actual = java.nio.file.Files.size(file);
            if (actual < expected) {
                failure = "only " + actual + " of " + expected + " bytes reached the disk" + diskSpace(file);
            } else {
                // the C library may drop what it could not write without a trace: a full file
                // system is the failure itself (no room for the next block of packets)
                if (dumpStore == null) {
                    dumpStore = store(file.toAbsolutePath().getParent());
                }
                long free = dumpStore.getUsableSpace();
                if (free < MIN_FREE_BYTES) {
                    failure = "No space left on device: " + free + " bytes free on its file system";
                } else {
                    checkedPosition = expected;
                }
            }
        } catch (PcapNativeException | NotOpenException e) {
            failure = Libpcap.reason(e.getMessage()) + diskSpace(file);
        } catch (java.io.IOException e) {
            failure = e.toString();
        }
        if (failure == null) {
            return true;
        }
        fail(failure, file);
        return false;
    }

    private void fail(String failure, Path file) {
        writeFailedNanos = nowNanos();
        writeFailure = failure;
        try {
            handle.breakLoop(); // the loop stops writing now, not after its current batch
        } catch (NotOpenException e) {
            // closed meanwhile: nothing loops
        }
        System.err.println("pcapunit: WARNING: writing the capture of \"" + interfaceName + "\" to " + file
                + " failed (" + failure + "): packets from now on are lost; the packets written before are kept");
    }

    private static java.nio.file.FileStore store(Path dir) throws java.io.IOException {
        java.nio.file.FileStore s = STORES.get(dir);
        if (s == null) {
            s = java.nio.file.Files.getFileStore(dir);
            if (STORES.size() < 64) {
                STORES.put(dir, s);
            }
        }
        return s;
    }

    private static String diskSpace(Path file) {
        try {
            long free = java.nio.file.Files.getFileStore(file).getUsableSpace();
            return free < (1 << 20) ? " (" + free + " bytes free on its file system: the disk is full)" : "";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Why writing the native file failed (e.g. the disk is full), or empty while it works. */
    public java.util.Optional<String> writeFailure() {
        return java.util.Optional.ofNullable(writeFailure);
    }

    /** When writing the native file failed (nanos since the epoch), or -1. */
    public long writeFailedNanos() {
        return writeFailedNanos;
    }

    /** Whether the size cap stopped this handle's writing. */
    public boolean capReached() {
        return capReached;
    }

    /** Asks the loop to end and wakes it (pcap_breakloop). */
    public void requestStop() {
        stopRequested = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed: nothing runs
        }
    }

    /** Flushes the dumper's buffered records to the file (safe while the loop writes). */
    public synchronized void flush() {
        PcapDumper d = dumper;
        if (d == null) {
            return;
        }
        try {
            d.flush();
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException("cannot flush the capture file of \"" + interfaceName + "\": "
                    + Libpcap.reason(e.getMessage()), e);
        }
    }

    /**
     * Where the next record goes in the native file (bytes handed to the dumper so far, flushed
     * or not), or -1 once the dumper is closed. Every record before it was written before this
     * call; a marker sent after it lands after it.
     */
    public synchronized long position() {
        PcapDumper d = dumper;
        if (d == null) {
            return -1;
        }
        try {
            return d.ftell();
        } catch (PcapNativeException | NotOpenException e) {
            return -1;
        }
    }

    /** libpcap's counters: {received, kernel-buffer drops, interface drops}. */
    public long[] stats() {
        long[] s = rawStats();
        long[] base = statsBase;
        for (int i = 0; i < 3; i++) {
            s[i] = Math.max(0, s[i] - base[i]);
        }
        return s;
    }

    private long[] rawStats() {
        try {
            PcapStat s = handle.getStats();
            return new long[] {s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf()};
        } catch (PcapNativeException | NotOpenException e) {
            return new long[] {0, 0, 0};
        }
    }

    /** Closes the dumper (flushing it). Call after the loop has ended. */
    public synchronized void closeDumper() {
        checkWritten(); // besides the loop's ferror: every byte in the file, room left on its file system
        PcapDumper d = dumper;
        dumper = null;
        dumpStream = null;
        if (d != null) {
            d.close();
        }
        DumpBuffer.free(dumpBuffer); // after fclose, which flushed it
        dumpBuffer = 0;
    }

    /**
     * A larger stdio buffer for the native file. libpcap's dumper writes through a {@code FILE}
     * that libc buffers in 4 KiB (the file system's block size): under a flood of small packets
     * that is one {@code write(2)} per ~25 packets, most of the capture's CPU besides copying
     * (tcpdump {@code -w} pays the same). With {@value #BYTES} bytes it is one per ~1,500. The
     * loop still flushes after every batch of ring blocks, so a killed JVM loses no more than before.
     *
     * <pre>{@code
     * long buffer = DumpBuffer.enlarge(dumper);   // 0: libc's buffer stays (same file, more syscalls)
     * ...                                         // capture
     * dumper.close();                             // fclose flushes the buffer
     * DumpBuffer.free(buffer);
     * }</pre>
     */
    static final class DumpBuffer {
        static final int BYTES = 256 * 1024;
        /** {@code _IOFBF} in glibc, musl and the BSDs. */
        private static final int IOFBF = 0;

        interface Stdio extends com.sun.jna.Library {
            int setvbuf(com.sun.jna.Pointer stream, com.sun.jna.Pointer buf, int mode, com.sun.jna.NativeLong size);
        }

        /** Looked up once per JVM, on the first capture. */
        private static final class Natives {
            static final Stdio STDIO = com.sun.jna.Native.load(com.sun.jna.Platform.C_LIBRARY_NAME, Stdio.class);
            static final com.sun.jna.Function DUMP_FILE = com.sun.jna.NativeLibrary.getInstance(
                    System.getProperty(Libpcap.LIB_NAME_PROPERTY, com.sun.jna.Platform.isWindows() ? "wpcap" : "pcap"))
                    .getFunction("pcap_dump_file");
            static final java.lang.reflect.Method GET_DUMPER = getDumper();

            private static java.lang.reflect.Method getDumper() {
                try {
                    // pcap4j keeps the pcap_dumper_t* package-private
                    java.lang.reflect.Method m = PcapDumper.class.getDeclaredMethod("getDumper");
                    m.setAccessible(true);
                    return m;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("pcap4j's PcapDumper has no getDumper()", e);
                }
            }
        }

        private DumpBuffer() {
        }

        /**
         * Flushes {@code d} (the file header leaves libc's buffer) and gives its stream a buffer of
         * {@value #BYTES} bytes; returns the buffer's address, or 0 when that was not possible.
         */
        static long enlarge(PcapDumper d) {
            long buffer = 0;
            try {
                com.sun.jna.Pointer dumper = (com.sun.jna.Pointer) Natives.GET_DUMPER.invoke(d);
                com.sun.jna.Pointer stream = Natives.DUMP_FILE.invokePointer(new Object[] {dumper}); // its FILE*
                if (stream == null) {
                    return 0;
                }
                d.flush();
                buffer = com.sun.jna.Native.malloc(BYTES);
                if (buffer == 0) {
                    return 0;
                }
                if (Natives.STDIO.setvbuf(stream, new com.sun.jna.Pointer(buffer), IOFBF,
                        new com.sun.jna.NativeLong(BYTES)) != 0) {
                    free(buffer);
                    return 0;
                }
                return buffer;
            } catch (ReflectiveOperationException | PcapNativeException | NotOpenException | RuntimeException
                    | LinkageError e) {
                free(buffer); // libc's own buffer stays in use: the same file, written in smaller pieces
                return 0;
            }
        }

        /** Frees a buffer {@link #enlarge} returned, once its stream is closed; 0 is ignored. */
        static void free(long buffer) {
            if (buffer != 0) {
                com.sun.jna.Native.free(buffer);
            }
        }
    }

    /** pcap4j internals the loop needs: the {@code pcap_t*}, the {@code pcap_dumper_t*} and the handle's lock. */
    static final class Natives {
        static final com.sun.jna.Function PCAP_DUMP = com.sun.jna.NativeLibrary.getInstance(System.getProperty(
                Libpcap.LIB_NAME_PROPERTY, com.sun.jna.Platform.isWindows() ? "wpcap" : "pcap")).getFunction("pcap_dump");
        private static final java.lang.reflect.Field PCAP = field("handle");
        private static final java.lang.reflect.Field LOCK = field("handleLock");

        private Natives() {
        }

        private static java.lang.reflect.Field field(String name) {
            try {
                java.lang.reflect.Field f = PcapHandle.class.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("pcap4j's PcapHandle has no field " + name, e);
            }
        }

        static com.sun.jna.Pointer pcap(PcapHandle h) {
            try {
                return (com.sun.jna.Pointer) PCAP.get(h);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /** pcap4j's read lock, held while the handle is used natively: pcap_close waits for it. */
        static java.util.concurrent.locks.Lock readLock(PcapHandle h) {
            try {
                return ((java.util.concurrent.locks.ReentrantReadWriteLock) LOCK.get(h)).readLock();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The dumper's {@code FILE*} (pcap_dump_file), or null. */
        static com.sun.jna.Pointer stream(PcapDumper d) {
            try {
                return DumpBuffer.Natives.DUMP_FILE.invokePointer(new Object[] {dumper(d)});
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }

        static com.sun.jna.Pointer dumper(PcapDumper d) {
            try {
                return (com.sun.jna.Pointer) DumpBuffer.Natives.GET_DUMPER.invoke(d);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("pcap4j's PcapDumper.getDumper() failed", e);
            }
        }
    }

    /** pcap_close: slow (tens of ms), so callers run it off the caller's path. */
    public void close() {
        handle.close();
    }
}
