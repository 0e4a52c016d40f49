package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared bpftrace filters namespaces in the kernel: while the only capture watches namespace
 * {@code watched} (10.200.145.10), a flood of drops in {@code bystander} (10.200.145.20) never
 * reaches user space (no record is read), while the watched namespace's drops do; with no capture
 * nothing is printed, and a capture of the JVM's own interfaces ({@code @all}) gets every
 * namespace's drops again. The filter is changed on the running program (no restart: the same
 * process, attached once).
 */
class BpfKernelFilterTest {

    private static final int DATAGRAMS = 50;

    @BeforeAll
    static void requireEbpf() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        EbpfEvidence.assumeAvailable();
    }

    @AfterEach
    void closeIdle() {
        BpfRecorder.closeIdle();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void onlyTheWatchedNamespacesDropsLeaveTheKernel_changedOnTheRunningProgram() throws Exception {
        Path binary = BpfRecorder.binary().orElseThrow();
        try (NetLab lab = NetLab.create()) {
            Host watched = lab.host("watched", "10.200.145.10");
            Host bystander = lab.host("bystander", "10.200.145.20");
            long watchedInode = NetnsNames.inode(Path.of("/run/netns", watched.namespace()));
            long bystanderInode = NetnsNames.inode(Path.of("/run/netns", bystander.namespace()));
            assertThat(watchedInode).isPositive().isNotEqualTo(bystanderInode);

            BpfSubscription s = BpfRecorder.subscribe(binary, new BpfSubscription.Filter(List.of(),
                    List.of(watchedInode)));
            BpfRecorder r = s.recorder();
            assumeThat(r.filtersInKernel()).as("the kernel has syscalls:sys_enter_lseek").isTrue();
            long pid = r.process().pid();
            try {
                assertThat(r.awaitAttached(60_000)).as(r.failure().orElse("attached")).isTrue();

                long before = read(r);
                flood(bystander);
                assertThat(read(r) - before).as("bystander records read while only 'watched' is watched")
                        .isZero();

                before = read(r);
                flood(watched);
                assertThat(read(r) - before).as("records of the watched namespace").isGreaterThanOrEqualTo(DATAGRAMS);
                assertThat(s.events()).as("the subscription's records").isNotEmpty()
                        .allSatisfy(e -> assertThat(e.field("netns_inode")).isEqualTo(Long.toString(watchedInode)));
            } finally {
                s.stop();
            }

            // no capture: nothing is printed, bpftrace stays attached for the next one
            long before = read(r);
            flood(watched);
            assertThat(read(r) - before).as("records read with no capture").isZero();

            // a capture of the JVM's own interfaces watches every namespace
            BpfSubscription all = BpfRecorder.subscribe(binary, new BpfSubscription.Filter(List.of(), List.of()));
            try {
                assertThat(all.recorder()).as("the same recorder").isSameAs(r);
                before = read(r);
                flood(bystander);
                assertThat(read(r) - before).as("records with @all").isGreaterThanOrEqualTo(DATAGRAMS);
            } finally {
                all.stop();
            }
            assertThat(r.process().pid()).as("never restarted").isEqualTo(pid);
            assertThat(r.process().isAlive()).isTrue();
        }
    }

    @Test
    void aLoopbackCapture_watchesTheJvmsNamespaceOnly() throws Exception {
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                .kernelEvidence(KernelEvidence.REQUIRED).build();
        long own = NetnsNames.inode(Path.of("/proc/self/ns/net"));
        assertThat(BpfSidecar.netns(spec, NetnsNames.system())).containsExactly(own);
        try (NetLab lab = NetLab.create()) {
            Host bystander = lab.host("bystander", "10.200.147.20");
            BpfSidecar sidecar = new BpfSidecar();
            try {
                sidecar.start(spec);
                BpfRecorder r = sidecar.recorder().orElseThrow().recorder();
                assumeThat(r.filtersInKernel()).as("the kernel has syscalls:sys_enter_lseek").isTrue();
                assertThat(r.awaitAttached(60_000)).as(r.failure().orElse("attached")).isTrue();
                // the JVM's own namespace is watched: other processes' drops there (other builds' JVMs
                // on this machine) may be read; the bystander's namespace's never
                long bystanderInode = NetnsNames.inode(Path.of("/run/netns", bystander.namespace()));
                Map<String, Long> byInode = new ConcurrentHashMap<>();
                r.tap(e -> byInode.merge(String.valueOf(e.field("netns_inode")), 1L, Long::sum));
                try {
                    flood(bystander);
                    read(r);
                } finally {
                    r.tap(null);
                }
                assertThat(byInode).as("records by netns inode while only lo is captured")
                        .doesNotContainKey(Long.toString(bystanderInode));
                long before = read(r);
                try (java.net.DatagramSocket out = new java.net.DatagramSocket()) {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[1], 1,
                            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9));
                    for (int i = 0; i < DATAGRAMS; i++) {
                        out.send(p);
                    }
                }
                assertThat(read(r) - before).as("the JVM's own loopback drops").isGreaterThanOrEqualTo(DATAGRAMS);
            } finally {
                sidecar.stop();
                sidecar.close();
            }
        }
    }

    /**
     * Runs in a PID namespace too ({@code unshare -pf --mount-proc}, where bpftrace's pid is not the
     * JVM's): the JVM's own loopback drops are read while its namespace is watched, and none once no
     * capture watches it (the kernel filter is bound and on, not merely failing open). Needs no
     * {@code ip netns}.
     */
    @Test
    void theJvmsOwnNamespace_filteredInTheKernel_evenInAPidNamespace() throws Exception {
        Path binary = BpfRecorder.binary().orElseThrow();
        String own = Long.toString(NetnsNames.inode(Path.of("/proc/self/ns/net")));
        BpfSubscription s = BpfRecorder.subscribe(binary, new BpfSubscription.Filter(List.of(),
                List.of(Long.parseLong(own))));
        BpfRecorder r = s.recorder();
        assumeThat(r.filtersInKernel()).as("the kernel has syscalls:sys_enter_lseek").isTrue();
        java.util.concurrent.atomic.AtomicLong ownRead = new java.util.concurrent.atomic.AtomicLong();
        r.tap(e -> {
            if (own.equals(String.valueOf(e.field("netns_inode")))) {
                ownRead.incrementAndGet();
            }
        });
        try {
            try {
                assertThat(r.awaitAttached(60_000)).as(r.failure().orElse("attached")).isTrue();
                read(r);
                long before = ownRead.get();
                loopbackDrops();
                read(r);
                assertThat(ownRead.get() - before).as("the JVM's own loopback drops (pid %d in this namespace)",
                        ProcessHandle.current().pid()).isGreaterThanOrEqualTo(DATAGRAMS);
                assertThat(s.events()).as("the subscription's records").isNotEmpty();
            } finally {
                s.stop();
            }
            read(r);
            long before = ownRead.get();
            loopbackDrops();
            read(r);
            assertThat(ownRead.get() - before).as("records of the JVM's namespace with no capture: the filter is on")
                    .isZero();
            assertThat(r.filterTurnedOff()).isFalse();
            assertThat(r.failure()).isEmpty();
        } finally {
            r.tap(null);
        }
    }

    /**
     * A bpftrace that exits on its own (here a script that exits after 1 s) leaves no control file
     * open: the reader's failure path closes it (it stayed open until the JVM's exit).
     */
    @Test
    void aFailedBpftrace_closesItsControlFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path failing = dir.resolve("bpftrace");
        java.nio.file.Files.writeString(failing, "#!/bin/sh\nsleep 1\nexit 3\n");
        assertThat(failing.toFile().setExecutable(true)).isTrue();
        long before = devNullFds();
        BpfRecorder r = BpfRecorder.start(failing, new BpfProgram(List.of(), -1, null, 0x1234),
                new BpfLines(0, n -> "", n -> "", n -> ""));
        assertThat(r.filtersInKernel()).isTrue();
        assertThat(devNullFds()).as("the control file while bpftrace runs").isGreaterThan(before);
        assertThat(r.awaitAttached(10_000)).isFalse();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (devNullFds() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(r.failure()).isPresent();
        assertThat(devNullFds()).as("/dev/null fds after bpftrace failed").isEqualTo(before);
    }

    private static long devNullFds() throws Exception {
        try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(f -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(f).toString().equals("/dev/null");
                } catch (Exception e) {
                    return false;
                }
            }).count();
        }
    }

    /** {@value #DATAGRAMS} UDP datagrams from the JVM to 127.0.0.1:9 (closed): NO_SOCKET drops. */
    private static void loopbackDrops() throws Exception {
        try (java.net.DatagramSocket out = new java.net.DatagramSocket()) {
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[1], 1,
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9));
            for (int i = 0; i < DATAGRAMS; i++) {
                out.send(p);
            }
        }
    }

    /**
     * Drop records read so far, after bpftrace's output passed this moment: drain() waits for the
     * other CPUs' buffers too (it no longer needs a settle wait; BpfDrainCrossCpuTest).
     */
    private static long read(BpfRecorder r) {
        assertThat(r.drain(System.nanoTime())).as("bpftrace's output reached the drain's time").isEmpty();
        return r.dropsRead();
    }

    /** {@value #DATAGRAMS} UDP datagrams to 127.0.0.1:9 (closed) in {@code host}'s namespace: NO_SOCKET drops. */
    private static void flood(Host host) throws Exception {
        String script = "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "for i in range(" + DATAGRAMS + "):\n  s.sendto(b'x',('127.0.0.1',9))\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", host.namespace(), "python3", "-c", script)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
