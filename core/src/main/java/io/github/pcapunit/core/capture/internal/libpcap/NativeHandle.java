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

    /** libpcap's PCAP_ERROR_PERM. */
    static final int PCAP_ERROR_PERM = -8;
    /** LINKTYPE_LINUX_SLL2. */
    public static final int LINUX_SLL2 = 276;
    private static final int PCAP_RECORD_HEADER = 16;
    /** Upper bound of packets per pcap_loop call under a size cap (keeps ftell checks frequent). */
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
    /** Packets per pcap_loop call without a size cap: the loop checks its file after each batch. */
    private static final int CHECK_BATCH = 4096;
    /** Below this much free space on the native file's file system, writing has failed (or is about to). */
    private static final long MIN_FREE_BYTES = 64 * 1024;

    private volatile PcapDumper dumper;
    private volatile Path dumpFile;
    /** The native file's file system, looked up once (the lookup parses the mount table). */
    private java.nio.file.FileStore dumpStore;
    /** The native file's stdio buffer ({@link DumpBuffer}), freed once the dumper is closed; 0 for libc's own. */
    private volatile long dumpBuffer;
    /** The dumper's position at the last check that found the file whole: nothing new, nothing to check. */
    private long checkedPosition = -1;
    /** Why writing the native file failed (e.g. "No space left on device"), or null. */
    private volatile String writeFailure;
    private volatile long writeFailedNanos = -1;
    private volatile boolean stopRequested;
    private volatile boolean capReached;

    private NativeHandle(String interfaceName, PcapHandle handle, int linkType, int snaplen) {
        this.interfaceName = interfaceName;
        this.handle = handle;
        this.linkType = linkType;
        this.snaplen = snaplen;
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
            return new NativeHandle(interfaceName, h, dlt, snaplen);
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
            Flusher.register(this);
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException("cannot write the capture file " + file + ": "
                    + Libpcap.reason(e.getMessage()), e);
        }
    }

    /**
     * Runs the capture loop on the calling thread until {@link #requestStop()}, writing every
     * packet natively. With {@code maxBytes > 0} the native file never grows beyond it: the loop
     * runs in batches of packets that surely fit, and stops writing when the next might not.
     *
     * <p>libpcap's dumper does not report a failed write (a full disk): every 200 ms the flusher
     * thread flushes the file and compares its size with what was handed to it ({@link
     * #checkWritten()}). On a failure it breaks this loop, which stops writing (the file keeps
     * every packet written before), warns once on stderr, and {@link #writeFailure()} says why.
     * The loop itself only reads a flag between batches: checking the file from here after every
     * {@value #CHECK_BATCH} packets cost about a millisecond each time (finding the file's file
     * system parses the mount table) and made capturing a flood cost more CPU than tcpdump.
     *
     * @param looping called on this thread once it is about to enter the loop
     * @return true when the size cap stopped writing
     */
    public boolean runLoop(long maxBytes, Runnable looping) {
        try {
            looping.run();
            while (!stopRequested) {
                int count = CHECK_BATCH;
                if (maxBytes > 0) {
                    long room = maxBytes - dumper.ftell();
                    long fit = room / (PCAP_RECORD_HEADER + snaplen);
                    if (fit < 1) {
                        capReached = true;
                        return true;
                    }
                    count = (int) Math.min(fit, MAX_BATCH);
                }
                try {
                    handle.loop(count, dumper);
                } catch (InterruptedException e) {
                    // pcap_breakloop: the loop re-checks stopRequested (or the flusher saw a failure).
                }
                if (writeFailure != null) {
                    return false;
                }
            }
            return false;
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException("capture on \"" + interfaceName + "\" failed: "
                    + Libpcap.reason(e.getMessage()), e);
        }
    }

    /**
     * Flushes the dumper and checks the file holds everything handed to it; on a failure records
     * it, warns once and returns false.
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
                    dumpStore = java.nio.file.Files.getFileStore(file);
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
        writeFailedNanos = nowNanos();
        writeFailure = failure;
        try {
            handle.breakLoop(); // the loop stops writing now, not after its current batch
        } catch (NotOpenException e) {
            // closed meanwhile: nothing loops
        }
        System.err.println("pcapunit: WARNING: writing the capture of \"" + interfaceName + "\" to " + file
                + " failed (" + failure + "): packets from now on are lost; the packets written before are kept");
        return false;
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
        try {
            PcapStat s = handle.getStats();
            return new long[] {s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf()};
        } catch (PcapNativeException | NotOpenException e) {
            return new long[] {0, 0, 0};
        }
    }

    /** Closes the dumper (flushing it). Call after the loop has ended. */
    public synchronized void closeDumper() {
        Flusher.unregister(this);
        PcapDumper d = dumper;
        dumper = null;
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
     * flusher still flushes every 200 ms, so a killed JVM loses no more than before.
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

    /**
     * Flushes every open dumper every 200 ms: a JVM killed with SIGKILL leaves native files that
     * hold all but the last moments of its capture (recoverable), and a failing write (a full
     * disk) is noticed even when packets trickle in.
     */
    private static final class Flusher {
        private static final java.util.Set<NativeHandle> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private static java.util.concurrent.ScheduledExecutorService timer;

        static synchronized void register(NativeHandle h) {
            OPEN.add(h);
            if (timer == null) {
                timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "pcapunit-flush");
                    t.setDaemon(true);
                    return t;
                });
                timer.scheduleWithFixedDelay(Flusher::flushAll, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        static void unregister(NativeHandle h) {
            OPEN.remove(h);
        }

        private static void flushAll() {
            for (NativeHandle h : OPEN) {
                try {
                    h.checkWritten();
                } catch (RuntimeException e) {
                    // a handle closing meanwhile: the next round no longer sees it
                }
            }
        }
    }

    /** pcap_close: slow (tens of ms), so callers run it off the caller's path. */
    public void close() {
        handle.close();
    }
}
