package io.github.pcapunit.core.capture.internal;

import static io.github.pcapunit.core.capture.internal.InsideNamespace.jvmDescriptorLinks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture leaves nothing behind when the test using it fails: not the capture it started
 * inside the namespace, not the thread that joined it, not the namespace.
 */
@ExtendWith(LabCaptures.class)
class InsideNamespaceTest {

    @TempDir
    Path dir;

    @Test
    void aFailureWhileTheCaptureRuns_isThrown_andTheCaptureThreadAndNamespaceAreGone() throws Exception {
        AtomicReference<String> namespace = new AtomicReference<>();
        AtomicReference<Thread> joined = new AtomicReference<>();
        AtomicReference<String> link = new AtomicReference<>();
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("failed.pcapng")).build();

        assertThatThrownBy(() -> {
            try (InsideNamespace inside = InsideNamespace.create(lab -> lab.host("fails", "10.200.236.10"))) {
                namespace.set(inside.host().namespace());
                link.set(inside.nsfsLink());
                joined.set(inside.call(Thread::currentThread));
                inside.capture(spec, capture -> {
                    assertThat(jvmDescriptorLinks()).as("held while the capture runs").contains(link.get());
                    throw new AssertionError("the test's own failure");
                });
            }
        }).isInstanceOf(AssertionError.class).hasMessage("the test's own failure");

        assertThat(joined.get().isAlive()).as("the thread that joined the namespace").isFalse();
        assertThat(Path.of("/run/netns", namespace.get())).as("the namespace").doesNotExist();
        HandlePool.closeAll();
        assertThat(jvmDescriptorLinks()).as("after close, without a GC").doesNotContain(link.get());
    }

    @Test
    void aFailingLayout_removesWhatItMade() {
        AtomicReference<String> namespace = new AtomicReference<>();

        assertThatThrownBy(() -> InsideNamespace.create(lab -> {
            namespace.set(lab.host("layout", "10.200.237.10").namespace());
            throw new IllegalStateException("layout failed");
        })).hasMessage("layout failed");

        assertThat(Path.of("/run/netns", namespace.get())).as("the namespace").doesNotExist();
    }
}
