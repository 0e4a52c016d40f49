package io.github.pcapunit.core.capture;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.CaptureNotPermittedException;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.LibpcapNotFoundException;
import io.github.pcapunit.core.UnknownInterfaceException;

import io.github.pcapunit.core.capture.spi.CaptureSlice;
import io.github.pcapunit.core.capture.spi.SharedCapture;

import io.github.pcapunit.core.capture.internal.CaptureSession;
import java.nio.file.Path;
import java.util.List;

/**
 * A running packet capture: started by {@link #start(CaptureSpec)}, stopped by {@link #stop()}
 * (or {@link #close()}), which writes the pcapng file and returns its {@link CaptureResult}.
 * Packets go to disk through libpcap's native dumper, so capturing costs no Java work per packet.
 *
 * <pre>{@code
 * CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9999").build();
 * try (Capture capture = Capture.start(spec)) {
 *     sendDatagrams();
 *     capture.mark("datagrams sent");
 *     CaptureResult result = capture.stop();   // every packet sent before stop() is in the file
 * }
 * }</pre>
 *
 * <p>Starting one capture per test costs tens of milliseconds (opening and closing kernel
 * sockets); to capture many short tests, start one {@link SharedCapture} and cut a
 * {@link CaptureSlice} per test. A JVM shutdown hook stops running captures, so SIGTERM or
 * Ctrl-C still leaves a valid pcapng. Thread-safe.
 *
 * <p>A JVM killed with SIGKILL (e.g. a build tool's fork timeout, {@code kill -9}) or crashing
 * runs no hook: its classic pcap file beside the output holds every packet the kernel had handed
 * over, and the next capture writing to that directory (or the command line's {@code recover})
 * turns it into {@code NAME.recovered-PID.pcapng} and says so. Packets the kernel still held in
 * its ring are lost with the process: on {@code lo} and {@code any} up to the last second of
 * traffic (the kernel hands a partly filled ring block over once a second there, as with tcpdump,
 * unless traffic fills it first), on other interfaces up to the read timeout (10 ms by default).
 * A stop, or a shutdown hook on SIGTERM, loses none of them.
 */
public final class Capture implements AutoCloseable {

    private final CaptureSession session;

    private Capture(CaptureSession session) {
        this.session = session;
    }

    /**
     * Starts capturing. Every option is checked before anything is opened. It never waits for the
     * JVM's eBPF drop recorder (bpftrace, which takes about half a second to attach the first time): the
     * first capture of a JVM gets eBPF drop records from the moment it attached, tracefs ones
     * (inferred) before, and its evidence status says from when. A long capture that wants eBPF
     * from its first packet calls {@link SharedCapture#prepareKernelEvidence(CaptureSpec)} first,
     * as {@link SharedCapture#start(CaptureSpec)} does.
     *
     * <pre>{@code
     * Capture capture = Capture.start(CaptureSpec.builder().filter("tcp port 1433").build());
     * }</pre>
     *
     * @throws InvalidFilterException when libpcap refuses the filter (its reason is in the message)
     * @throws UnknownInterfaceException when an interface does not exist (the message lists those that do)
     * @throws CaptureNotPermittedException when this process may not capture (the message says what to grant)
     * @throws LibpcapNotFoundException when libpcap is not installed
     * @throws CaptureException when the output file cannot be written or kernel evidence is
     *     {@link KernelEvidence#REQUIRED} but unavailable
     */
    public static Capture start(CaptureSpec spec) {
        return new Capture(CaptureSession.start(spec));
    }

    /**
     * Names of the interfaces libpcap can capture on here, e.g. {@code [any, lo, eth0]}.
     *
     * @throws LibpcapNotFoundException when libpcap is not installed
     */
    public static List<String> interfaceNames() {
        return CaptureSession.interfaceNames();
    }

    /** The spec this capture runs with. */
    public CaptureSpec spec() {
        return session.spec();
    }

    /** The pcapng file {@link #stop()} writes. */
    public Path file() {
        return session.file();
    }

    /** Whether packets are still being captured. */
    public boolean isRunning() {
        return session.isRunning();
    }

    /**
     * Records a journal entry ({@code PCAPUNIT_EVENT=mark}) at the current time, shown between the
     * packets in Wireshark, e.g. {@code capture.mark("login request sent")}.
     *
     * @throws IllegalStateException when the capture has stopped
     */
    public void mark(String message) {
        session.mark(message);
    }

    /**
     * Everything captured so far as its own pcapng file (next to {@link #file()}, named
     * {@code *.snapshot.pcapng}), while the capture keeps running. Waits for packets sent before
     * this call to be handed over: on {@code lo} and {@code any} until the engine's own marker
     * datagram is in (a few milliseconds), elsewhere twice the read timeout.
     *
     * <pre>{@code
     * CaptureResult soFar = capture.snapshot();
     * }</pre>
     *
     * @throws IllegalStateException when the capture has stopped; use the result of {@link #stop()}
     */
    public CaptureResult snapshot() {
        return session.snapshot();
    }

    /**
     * Stops capturing and writes the pcapng file. Waits until the packets sent just before this
     * call are in the file: on {@code lo} and {@code any} until the engine's own marker datagram is
     * in, elsewhere twice the read timeout. Idempotent: later calls return the same result.
     *
     * <p>When the pcapng cannot be written (e.g. the disk is full) nothing captured is deleted:
     * the {@link io.github.pcapunit.core.CaptureException} names the classic pcap files beside
     * the output that hold the packets, and how to convert them later; calling {@code stop()}
     * again throws it again.
     *
     * <pre>{@code
     * CaptureResult result = capture.stop();
     * }</pre>
     */
    public CaptureResult stop() {
        return session.stop();
    }

    /**
     * Same as {@link #stop()}, for try-with-resources; after a {@code stop()} that threw, it does
     * nothing (the failure was reported once).
     */
    @Override
    public void close() {
        if (!session.stopFailed()) {
            session.stop();
        }
    }

    @Override
    public String toString() {
        return "Capture[" + session.spec() + (isRunning() ? ", running" : ", stopped") + "]";
    }
}
