package io.github.pcapunit.core.capture.spi;

import io.github.pcapunit.core.CaptureNotPermittedException;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.LibpcapNotFoundException;
import io.github.pcapunit.core.UnknownInterfaceException;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureSpec;

import io.github.pcapunit.core.capture.internal.SharedSession;
import java.nio.file.Path;

/**
 * One capture kept running across many short pieces of work (the tests of a class or of a whole
 * run) and cut into {@link CaptureSlice}s, each its own pcapng with the packets of its window.
 * Opening kernel sockets once instead of per test keeps the cost of a slice to well under a
 * millisecond; a slice's file is written in the background once its last packet is in, so ending a
 * slice does not wait for it, and a slice nobody keeps is {@linkplain CaptureSlice#discard() discarded}
 * without being written at all.
 *
 * <pre>{@code
 * try (SharedCapture shared = SharedCapture.start(CaptureSpec.builder().filter("tcp port 8080").build())) {
 *     try (CaptureSlice slice = shared.slice("loginTest", Path.of("target/pcapunit/loginTest.pcapng"))) {
 *         login();
 *     }   // the file is finalized in the background
 * }       // waits for every slice's file, then stops capturing
 * }</pre>
 *
 * <p>Slices may overlap (parallel tests): each gets every packet of its window, including the
 * other slice's traffic when filters match both. The spec's {@code output} is where the shared
 * native capture is kept while running (default: a temporary file; always deleted on close); its
 * {@code maxFileSize} caps each slice's pcapng, not the shared native file, which grows with the
 * traffic matching the filter for as long as the shared capture runs. Thread-safe.
 *
 * <p>A JVM shutdown hook closes a running shared capture (SIGTERM, Ctrl-C), writing the open
 * slices. A JVM killed with SIGKILL runs no hook: slices whose files were written are complete,
 * the open ones get no file, and their packets stay in the shared native file, which the next
 * shared capture with the same output directory turns into a {@code .recovered-PID.pcapng} (as
 * {@link Capture} does). Packets the kernel still held in its ring are lost with the process: on
 * {@code lo} and {@code any} up to the last second of traffic (a partly filled ring block is
 * handed over once a second there), elsewhere up to the read timeout.
 *
 * <p>Unlike {@link Capture#start(CaptureSpec)}, which never waits, {@link #start} waits once for
 * the JVM's eBPF drop recorder (bpftrace) to attach, at most 2 s ({@link #prepareKernelEvidence}),
 * so every slice, the first one included, gets eBPF drop records (observed) from its first packet.
 */
public final class SharedCapture implements AutoCloseable {

    private final SharedSession session;

    private SharedCapture(SharedSession session) {
        this.session = session;
    }

    /**
     * Starts the shared capture; checks every option first, like {@link Capture#start(CaptureSpec)},
     * then waits for eBPF as {@link #prepareKernelEvidence} does (0.5-0.8 s measured on 2 vCPUs at
     * load 3, the first time in a JVM; nothing when bpftrace is attached already, unavailable or
     * turned off).
     *
     * @throws InvalidFilterException when libpcap refuses the filter
     * @throws UnknownInterfaceException when an interface does not exist
     * @throws CaptureNotPermittedException when this process may not capture
     * @throws LibpcapNotFoundException when libpcap is not installed
     */
    public static SharedCapture start(CaptureSpec spec) {
        return new SharedCapture(SharedSession.start(spec));
    }

    /**
     * Readies the kernel evidence of a long-lived capture before it starts: checks {@code spec}
     * (a bad one throws as {@link #start} does, before anything runs), then, unless its kernel
     * evidence is {@code OFF}, starts the JVM's bpftrace and waits until it has attached, at most
     * 2 s, so a capture started next records eBPF drops from its first packet. Past the bound, or
     * when bpftrace fails, it returns anyway and the capture's evidence status says from when eBPF
     * recorded, or why not; it never throws for eBPF. {@link #start} calls it; a front-end that
     * runs one long {@link Capture} (e.g. the Maven plugin's {@code capture:start}) calls it first.
     *
     * <pre>{@code
     * long waited = SharedCapture.prepareKernelEvidence(spec);   // ~0.6 s once per JVM, or -1
     * Capture capture = Capture.start(spec);                      // eBPF from its first packet
     * }</pre>
     *
     * @return the milliseconds waited; -1 when eBPF is not used (kernel evidence {@code OFF}, no
     *     bpftrace or kernel BTF, or {@code -Dpcapunit.bpftrace=} turning it off)
     * @throws InvalidFilterException when libpcap refuses the filter
     * @throws UnknownInterfaceException when an interface does not exist
     * @throws LibpcapNotFoundException when libpcap is not installed
     */
    public static long prepareKernelEvidence(CaptureSpec spec) {
        return SharedSession.prepare(spec);
    }

    /** The spec of the shared capture. */
    public CaptureSpec spec() {
        return session.spec();
    }

    /** Whether packets are being captured. */
    public boolean isRunning() {
        return session.isRunning();
    }

    /**
     * Opens a slice starting now, to be written to {@code output} when it ends.
     *
     * <pre>{@code
     * CaptureSlice slice = shared.slice("MyTest.login()", Path.of("target/pcapunit/MyTest/login().pcapng"));
     * }</pre>
     *
     * @param name names the slice in the pcapng section comment, e.g. the test's name
     * @param output the pcapng file to write
     * @throws IllegalStateException when the shared capture is closed
     */
    public CaptureSlice slice(String name, Path output) {
        return new CaptureSlice(session.slice(name, output));
    }

    /**
     * Ends slices still open, waits until every slice's file is written, then stops capturing.
     * Idempotent.
     */
    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "SharedCapture[" + session.spec() + (isRunning() ? ", running" : ", closed") + "]";
    }
}
