package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.internal.netns.NetNamespace;
import io.github.pcapunit.core.capture.internal.netns.Namespaces;
import io.github.pcapunit.core.capture.internal.netns.NetnsThreads;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A test's network namespace and the platform threads it runs work on there: each {@link #call}
 * runs on a new thread that joined the namespace ({@code setns}, as {@link NetnsThreads#call} does
 * for a user) and has ended when the call returns; {@link #close()} removes the namespace (with
 * the rest of its {@link NetLab}). The shape of a user's test that starts a capture inside a
 * namespace and stops it from the JVM's own, as a JUnit extension's {@code afterEach} does.
 *
 * <pre>{@code
 * try (InsideNamespace inside = InsideNamespace.create(lab -> lab.host("lons", "10.200.148.10"))) {
 *     CaptureResult result = inside.capture(spec, capture -> flood(inside.host()));
 * }
 * }</pre>
 *
 * <p>Whether the JVM still holds the namespace once a capture is closed:
 * {@code assertThat(jvmDescriptorLinks()).doesNotContain(inside.nsfsLink())}.
 *
 * <p>Lives beside the tests that use it, not in {@code io.github.pcapunit.testing}: the lab there
 * knows nothing of core (it is the test-jar {@code it/} uses), and this needs core's
 * {@link NetnsThreads}.
 */
final class InsideNamespace implements AutoCloseable {

    private final NetLab lab;
    private final Host host;
    private final NetNamespace namespace;
    private final String nsfsLink;

    private InsideNamespace(NetLab lab, Host host, NetNamespace namespace, String nsfsLink) {
        this.lab = lab;
        this.host = host;
        this.namespace = namespace;
        this.nsfsLink = nsfsLink;
    }

    /**
     * A new lab laid out by {@code hosts}, which returns the host whose namespace the threads
     * join; the lab is closed again when {@code hosts} or the namespace's lookup fails.
     */
    static InsideNamespace create(Function<NetLab, Host> hosts) {
        NetLab lab = NetLab.create();
        try {
            Host host = hosts.apply(lab);
            NetNamespace namespace = Namespaces.resolve(CapturePoint.namespace(host.namespace()));
            Path nsfs = Path.of("/run/netns", host.namespace());
            return new InsideNamespace(lab, host, namespace, "net:[" + Files.getAttribute(nsfs, "unix:ino") + "]");
        } catch (IOException e) {
            lab.close();
            throw new UncheckedIOException("cannot read the inode of the lab's namespace", e);
        } catch (RuntimeException | Error e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The lab host whose namespace the threads join. */
    Host host() {
        return host;
    }

    /**
     * What a descriptor of the namespace links to in {@code /proc/self/fd}, e.g.
     * {@code net:[4026532611]}; still the same after {@link #close()}.
     */
    String nsfsLink() {
        return nsfsLink;
    }

    /** Runs {@code work} on a new platform thread inside the namespace and returns its result. */
    <T> T call(Callable<T> work) {
        return NetnsThreads.call(namespace, work);
    }

    /**
     * Starts {@code spec} on a thread inside the namespace, runs {@code whileRunning} on this
     * thread (the JVM's namespace) and stops the capture from here; the capture is closed when
     * {@code whileRunning} fails too.
     */
    CaptureResult capture(CaptureSpec spec, WhileRunning whileRunning) throws Exception {
        try (Capture capture = call(() -> Capture.start(spec))) {
            whileRunning.accept(capture);
            return capture.stop();
        }
    }

    /** Removes the namespace and the rest of the lab. */
    @Override
    public void close() {
        lab.close();
    }

    /** Where the JVM's open descriptors link to now ({@code /proc/self/fd}). */
    static List<String> jvmDescriptorLinks() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    out.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return out;
    }

    /** What a test does while its capture runs, e.g. send traffic. */
    @FunctionalInterface
    interface WhileRunning {
        void accept(Capture capture) throws Exception;
    }
}
