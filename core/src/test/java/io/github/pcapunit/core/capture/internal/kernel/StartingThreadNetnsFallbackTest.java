package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * When the starting thread's network namespace cannot be read ({@code /proc/thread-self/ns/net}),
 * the eBPF namespace filter of a capture of its own interfaces watches every namespace (an empty
 * list) rather than none or a wrong one. The thread is made unable to read it for real: it moves
 * to a mount namespace of its own ({@code unshare(CLONE_NEWNS)}, made private first, so nothing
 * propagates to the host) and mounts an empty tmpfs over {@code /proc} there; the namespace goes
 * with the thread. A thread that can read it gets its own namespace (the control).
 */
class StartingThreadNetnsFallbackTest {

    private static final int CLONE_NEWNS = 0x00020000;
    private static final long MS_REC = 16384;
    private static final long MS_PRIVATE = 1L << 18;

    /** unshare(2) and mount(2). */
    interface MountCalls extends Library {
        MountCalls INSTANCE = Native.load("c", MountCalls.class);

        int unshare(int flags);

        int mount(String source, String target, String fstype, long flags, Pointer data);
    }

    @Test
    void unreadableThreadNamespace_loCapture_watchesEveryNamespace() throws Exception {
        CaptureSpec lo = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                .kernelEvidence(KernelEvidence.REQUIRED).build();
        long own = NetnsNames.inode(Path.of("/proc/self/ns/net"));
        assertThat(own).as("the JVM's namespace, read by this thread").isPositive();
        assertThat(BpfSidecar.netns(lo, null)).as("a thread that can read its namespace").containsExactly(own);

        List<Long> blind = withoutProc(() -> BpfSidecar.netns(lo, null));
        assertThat(blind).as("lo capture started by a thread that cannot read its namespace: every one").isEmpty();
    }

    @Test
    void unreadableThreadNamespace_ownInterfacesBesideAPoint_watchEveryNamespace() throws Exception {
        NetLab.assumeAvailable();
        try (NetLab lab = NetLab.create()) {
            Host h = lab.host("blind", "10.200.152.10");
            long point = NetnsNames.inode(Path.of("/run/netns", h.namespace()));
            long own = NetnsNames.inode(Path.of("/proc/self/ns/net"));
            CaptureSpec both = CaptureSpec.builder().interfaces("lo").point(CapturePoint.namespace(h.namespace()))
                    .kernelEvidence(KernelEvidence.REQUIRED).build();
            assertThat(both.capturesOwnNamespace()).isTrue();
            assertThat(BpfSidecar.netns(both, null)).as("a thread that can read its namespace")
                    .containsExactly(point, own);

            List<Long> blind = withoutProc(() -> BpfSidecar.netns(both, null));
            assertThat(blind).as("the point's namespace is readable, the starting thread's is not: every one")
                    .isEmpty();
        }
    }

    /**
     * Runs {@code work} on a new platform thread whose {@code /proc} is an empty tmpfs (in a mount
     * namespace of its own, which ends with it); skips the test when the thread cannot get one.
     */
    private static <T> T withoutProc(Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> skipped = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                MountCalls c = MountCalls.INSTANCE;
                if (c.unshare(CLONE_NEWNS) != 0) {
                    skipped.set("unshare(CLONE_NEWNS): errno " + Native.getLastError());
                    return;
                }
                // private first: a mount on /proc must not propagate to the host's mount namespace
                if (c.mount(null, "/", null, MS_REC | MS_PRIVATE, null) != 0) {
                    throw new IllegalStateException("cannot make / private: errno " + Native.getLastError());
                }
                if (c.mount("none", "/proc", "tmpfs", 0, null) != 0) {
                    throw new IllegalStateException("cannot mount tmpfs on /proc: errno " + Native.getLastError());
                }
                assertThat(Files.exists(Path.of("/proc/thread-self/ns/net"))).as("hidden on this thread").isFalse();
                assertThat(BpfSidecar.startingThreadNetns()).isEqualTo(-1);
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "blind-to-proc");
        t.start();
        t.join();
        assertThat(Files.exists(Path.of("/proc/thread-self/ns/net"))).as("the test thread's /proc untouched").isTrue();
        assumeThat(skipped.get()).as("a mount namespace for one thread").isNull();
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        return result.get();
    }
}
