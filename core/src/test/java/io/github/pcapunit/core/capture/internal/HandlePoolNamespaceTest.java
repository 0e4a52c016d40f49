package io.github.pcapunit.core.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.EngineTools;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread that joined another network namespace ({@code setns}) and captures {@code lo} there
 * captures that namespace's loopback: its handle is not parked as if it were the JVM's
 * ({@link HandlePool}), and it does not take the JVM's parked one. Before the fix the handle on
 * the namespace's {@code lo} was parked, and the JVM's next capture on {@code lo} took it and
 * captured nothing of the JVM's own loopback (0 of 5 datagrams, after waiting for a marker that
 * could not come).
 */
@ExtendWith(LabCaptures.class)
class HandlePoolNamespaceTest {

    @TempDir
    Path dir;

    @Test
    void captureOnAThreadInAnotherNamespace_isNotParked_andDoesNotTakeTheJvmsParkedHandle() {
        HandlePool.closeAll();   // counts below are this test's own
        int port = EngineTools.freeUdpPort();
        try (InsideNamespace other = InsideNamespace.create(lab -> lab.host("pool", "10.200.31.10"))) {
            // a user thread inside the namespace: "lo" is that namespace's loopback, and so is
            // where its datagrams go
            CaptureResult inside = other.call(() -> captureLo(port, "inside.pcapng", 7));
            int parkedAfterInside = HandlePool.parked();

            CaptureResult own = captureLo(port, "own.pcapng", 5);   // the JVM's own loopback
            assertThat(inside.packetsWritten()).as("the namespace's lo, captured from inside").isEqualTo(7);
            assertThat(own.packetsWritten()).as("the JVM's lo after a capture in the namespace").isEqualTo(5);
            assertThat(parkedAfterInside).as("handles parked after the capture in the namespace").isZero();
            assertThat(HandlePool.parked()).as("the JVM's own lo handle is parked").isEqualTo(1);

            CaptureResult again = other.call(() -> captureLo(port, "again.pcapng", 3));
            assertThat(again.packetsWritten()).as("the namespace's lo, with the JVM's handle parked").isEqualTo(3);
            assertThat(HandlePool.parked()).as("the JVM's handle stays parked, untaken").isEqualTo(1);
            CaptureResult ownAgain = captureLo(port, "own-again.pcapng", 4);
            assertThat(ownAgain.packetsWritten()).isEqualTo(4);
        }
    }

    private CaptureResult captureLo(int port, String file, int datagrams) {
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                .kernelEvidence(KernelEvidence.OFF).output(dir.resolve(file)).build();
        try (Capture capture = Capture.start(spec)) {
            EngineTools.sendUdp(port, datagrams);
            return capture.stop();
        }
    }
}
