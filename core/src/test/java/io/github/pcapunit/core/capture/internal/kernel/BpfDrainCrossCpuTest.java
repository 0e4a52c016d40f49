package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * drain() returns only after the drops written before it on other CPUs were read: a thread pinned
 * to CPU 1 sends datagrams to a closed loopback port, and at once the caller pinned to CPU 0
 * drains; the records read at drain()'s return must be all that arrive (bpftrace reads per-CPU
 * buffers, so the on-demand heartbeat from CPU 0 could be read before CPU 1's drops).
 */
class BpfDrainCrossCpuTest {

    private static final int ROUNDS = Integer.getInteger("pcapunit.drainRounds", 200);
    private static final int DATAGRAMS = Integer.getInteger("pcapunit.drainDatagrams", 20);

    @BeforeAll
    static void requireEbpf() {
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        EbpfEvidence.assumeAvailable();
        assumeThat(Runtime.getRuntime().availableProcessors()).as("CPUs").isGreaterThanOrEqualTo(2);
    }

    @AfterEach
    void closeIdle() {
        BpfRecorder.closeIdle();
    }

    @Test
    void drain_readsTheDropsOfOtherCpus() throws Exception {
        Path binary = BpfRecorder.binary().orElseThrow();
        long own = NetnsNames.inode(Path.of("/proc/self/ns/net"));
        BpfSubscription s = BpfRecorder.subscribe(binary, new BpfSubscription.Filter(List.of(), List.of(own)));
        BpfRecorder r = s.recorder();
        assumeThat(r.filtersInKernel()).as("the kernel has syscalls:sys_enter_lseek").isTrue();
        try (java.net.DatagramSocket closed = new java.net.DatagramSocket(0,
                java.net.InetAddress.getLoopbackAddress())) {
            int port = closed.getLocalPort();
            closed.close(); // a port nobody listens on, unlikely to be another process's target
            String dport = Integer.toString(port);
            AtomicLong seen = new AtomicLong();
            AtomicLong arrived = new AtomicLong();
            java.util.Queue<java.time.Instant> times = new java.util.concurrent.ConcurrentLinkedQueue<>();
            r.tap(e -> {
                if (dport.equals(String.valueOf(e.field("dport")))) {
                    times.add(e.time());
                    arrived.set(System.nanoTime());
                    seen.incrementAndGet();
                }
            });
            pin(0);
            assertThat(r.awaitAttached(60_000)).as(r.failure().orElse("attached")).isTrue();
            AtomicLong go = new AtomicLong();
            AtomicLong done = new AtomicLong();
            Thread sender = new Thread(() -> {
                try {
                    pin(1);
                    try (java.net.DatagramSocket out = new java.net.DatagramSocket()) {
                        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[1], 1,
                                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
                        for (long round = 1; round <= ROUNDS; round++) {
                            while (go.get() != round) {
                                Thread.onSpinWait();
                            }
                            for (int k = 0; k < DATAGRAMS; k++) {
                                out.send(p);
                            }
                            done.set(round);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "cpu1-sender");
            sender.setDaemon(true);
            sender.start();
            int misses = 0;
            long missing = 0;
            long total = 0;
            long lateAll = 0;
            for (int i = 0; i < ROUNDS; i++) {
                long before = seen.get();
                go.set(i + 1);
                while (done.get() != i + 1) {
                    Thread.onSpinWait();
                }
                times.clear();
                long until = System.nanoTime();
                r.drain(until);
                long atDrain = seen.get() - before;
                long drained = System.nanoTime();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (seen.get() - before < DATAGRAMS && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long settled = seen.get() - before;
                total += settled;
                // records written before the drain's time but read after it returned (a drop stamped
                // later happened after the drain was asked for: softirq deferred to ksoftirqd)
                java.time.Instant untilWall = r.wall(until);
                long early = times.stream().skip(atDrain).filter(t -> t.isBefore(untilWall)).count();
                long late = settled - atDrain - early;
                lateAll += late;
                if (early > 0) {
                    System.out.printf("miss round %d: %d read at drain (%d us), last record %d us after it%n", i,
                            atDrain, (drained - until) / 1000, (arrived.get() - drained) / 1000);
                    misses++;
                    missing += early;
                }
            }
            System.out.printf("BpfDrainCrossCpuTest: %d rounds of %d drops from CPU 1: %d rounds with records"
                    + " read after drain() returned (%d records), %d later records (written after the drain's time), %d of %d read in all,"
                    + " lost %d%n", ROUNDS, DATAGRAMS, misses, missing, lateAll, total, (long) ROUNDS * DATAGRAMS, r.lost());
            assertThat(misses).as("rounds where drain() returned before CPU 1's drops were read").isZero();
        } finally {
            r.tap(null);
            s.stop();
        }
    }

    /** Pins the calling thread to {@code cpu} (taskset on its thread id). */
    private static void pin(int cpu) throws Exception {
        String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        Process p = new ProcessBuilder("taskset", "-p", "-c", Integer.toString(cpu), tid)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
