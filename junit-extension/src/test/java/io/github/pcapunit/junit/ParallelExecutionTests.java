package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Concurrent tests each get their own complete file; a shared filter lets them see each other. */
class ParallelExecutionTests {

    @TempDir
    Path out;

    @Execution(ExecutionMode.CONCURRENT)
    @CaptureTraffic(filter = "udp portrange 28601-28604", interfaces = "lo", keep = Keep.ALWAYS)
    static class ConcurrentTestCases {
        static final CountDownLatch ALL_RUNNING = new CountDownLatch(4);

        private static void sendWhileOthersRun(int port, int count) throws InterruptedException {
            ALL_RUNNING.countDown();
            assertThat(ALL_RUNNING.await(20, TimeUnit.SECONDS)).as("4 tests running at once").isTrue();
            Loopback.sendUdp(port, count);
        }

        @Test
        void one() throws Exception {
            sendWhileOthersRun(28601, 1);
        }

        @Test
        void two() throws Exception {
            sendWhileOthersRun(28602, 2);
        }

        @Test
        void three() throws Exception {
            sendWhileOthersRun(28603, 3);
        }

        @Test
        void four() throws Exception {
            sendWhileOthersRun(28604, 4);
        }
    }

    @Test
    void concurrentTests_eachGetsItsOwnFileWithAllItsPackets() {
        Fixtures.run(ConcurrentTestCases.class, out, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"))
                .testEvents().assertStatistics(s -> s.succeeded(4));

        String[] names = {"one", "two", "three", "four"};
        for (int i = 0; i < 4; i++) {
            CapturedTraffic traffic = CapturedTraffic.read(Fixtures.fileOf(out, ConcurrentTestCases.class,
                    names[i] + ".pcapng"));
            assertThat(traffic.packetsTo(28601 + i)).as(names[i]).isEqualTo(i + 1);
        }
    }
}
