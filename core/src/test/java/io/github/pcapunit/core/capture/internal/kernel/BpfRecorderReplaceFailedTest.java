package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing a failed shared bpftrace that is still running does not hold the class lock while it
 * dies: another thread's {@code shared()} gets the replacement at once, not after the ~1 s the
 * failed one's end can take, and no second replacement is started. The failed recorder is a
 * script standing in for bpftrace: it closes its output (the reader records a failure, the process
 * stays alive) and leaves a child holding its stderr, so ending it waits out the 1 s stderr
 * reader join, as a real bpftrace with a stuck child would.
 */
class BpfRecorderReplaceFailedTest {

    @TempDir
    Path dir;

    @AfterEach
    void closeIdle() {
        BpfRecorder.closeIdle();
    }

    @Test
    void anotherThreadsShared_doesNotWaitForTheFailedOnesEnd() throws Exception {
        assumeThat(Tracefs.root()).as("tracefs (shared() reads the kfree_skb format)").isPresent();
        Path fake = dir.resolve("bpftrace");
        Files.writeString(fake, "#!/bin/sh\nexec 1>&-\nsleep 3 &\nexec sleep 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

        BpfRecorder failed = BpfRecorder.shared(fake);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (failed.failure().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(failed.failure()).as("its output ended").isPresent();
        assertThat(failed.process().isAlive()).as("but it still runs").isTrue();

        long a0 = System.nanoTime();
        CompletableFuture<BpfRecorder> replacing = CompletableFuture.supplyAsync(() -> BpfRecorder.shared(fake));
        // the replacing thread has sent SIGKILL (under the lock) and is waiting for the end
        while (failed.process().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(failed.process().isAlive()).isFalse();
        long b0 = System.nanoTime();
        BpfRecorder other = BpfRecorder.shared(fake);
        long otherMillis = (System.nanoTime() - b0) / 1_000_000;
        BpfRecorder replacement = replacing.get(10, TimeUnit.SECONDS);
        long replacingMillis = (System.nanoTime() - a0) / 1_000_000;

        System.out.println("replacing a failed bpftrace: " + replacingMillis + " ms; another thread's shared(): "
                + otherMillis + " ms");
        assertThat(replacement).as("a new recorder").isNotSameAs(failed);
        assertThat(other).as("the same replacement, not the failed one nor a second one").isSameAs(replacement);
        assertThat(replacingMillis).as("the replacing call waited for the failed one's end").isGreaterThan(700);
        assertThat(otherMillis).as("another thread's shared() (replacing took %d ms)", replacingMillis)
                .isLessThan(300);
    }
}
