package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.internal.PidNamespaces;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tracefs event names the process, not the thread: the kernel prints the thread's id and name
 * (a connect from an executor thread is "pool-3-thread-1" with the thread's id), and pcapunit said
 * "process pool-3-thread-1 (pid &lt;thread id&gt;)". Real tracefs, a connect from a named thread; and
 * trace lines fed to the recorder for tasks that are gone before their line is read, which name a
 * process only when the trace tells which one.
 */
class KernelEventOwnerTest {

    /** Tracefs prints the initial PID namespace's ids: only there do they name a process of this /proc. */
    private static final boolean HOST = PidNamespaces.own().orElse("").equals(PidNamespaces.INITIAL);
    /** Above any pid_max (at most 2^22): no /proc entry, ever. */
    private static final long GONE = 99_999_999;
    private static final String SYN_SENT = " [001] ..... 4711.123456: inet_sock_set_state: family=AF_INET"
            + " protocol=IPPROTO_TCP sport=0 dport=1433 saddr=10.200.1.10 daddr=10.200.1.20"
            + " saddrv6=::ffff:10.200.1.10 daddrv6=::ffff:10.200.1.20 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT";

    @Test
    void aGoneThreadRecordTgidHadNotMapped_namesNoProcess() {
        assertThat(Path.of("/proc", Long.toString(GONE))).doesNotExist();
        KernelRecorder recorder = recorder();

        recorder.accept("  pool-3-thread-1-" + GONE + " (-------)" + SYN_SENT);

        assertThat(recorder.events()).singleElement().satisfies(e -> {
            assertThat(e.pid()).as("thread %d's process is unknown", GONE).isEqualTo(-1);
            assertThat(e.comm()).as("a thread's name is not its process's").isEmpty();
            assertThat(e.hasProcess()).isFalse();
            assertThat(KernelJournal.fields(e, null).get("MESSAGE"))
                    .isEqualTo("TCP state TCP_CLOSE \u2192 TCP_SYN_SENT, TCP 10.200.1.10:0 \u2192 10.200.1.20:1433")
                    .doesNotContain("pool-3-thread-1", Long.toString(GONE));
        });
    }

    @Test
    void aGoneTaskThatExecedInTheTrace_isNamedByItsExec() {
        assumeThat(HOST).as("in the initial PID namespace").isTrue();
        KernelRecorder recorder = recorder();

        recorder.accept("  sh-" + GONE + " (-------) [000] ..... 4711.100000: sched_process_exec:"
                + " filename=/usr/bin/nc pid=" + GONE + " old_pid=" + GONE);
        recorder.accept("  nc-" + GONE + " (-------)" + SYN_SENT);

        assertThat(recorder.events()).singleElement().satisfies(e -> {
            assertThat(e.pid()).as("an exec'd task's id is its process's").isEqualTo(GONE);
            assertThat(e.comm()).isEqualTo("nc");
        });
    }

    @Test
    void aLiveThreadRecordTgidHadNotMapped_isNamedByItsProcess() throws Exception {
        KernelRecorder recorder = recorder();
        long tid = threadId();

        recorder.accept("  Test worker-" + tid + " (-------)" + SYN_SENT);

        String jvmName = Files.readString(Path.of("/proc/self/comm")).strip();
        assertThat(recorder.events()).singleElement().satisfies(e -> {
            if (HOST) {
                assertThat(e.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(e.comm()).isEqualTo(jvmName);
            } else {
                assertThat(e.pid()).as("tid %d of a child PID namespace is not the trace's", tid).isEqualTo(-1);
                assertThat(e.comm()).isEmpty();
            }
        });
    }

    private static KernelRecorder recorder() {
        return new KernelRecorder(Path.of("/nonexistent/pcapunit-test-1"), DropReasons.parse(""));
    }

    @Test
    void aConnectFromAnotherThread_isNamedByItsProcess() throws Exception {
        assumeThat(KernelRecorder.unavailableReason()).as("tracefs, root").isEmpty();
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort(); // nothing listens once closed: the connect is refused
        }
        KernelRecorder recorder = KernelRecorder.start();
        List<KernelEvent> events;
        long[] tid = new long[1];
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        // the thread lives on until its events are read, as an executor's thread does
        int p = port;
        Thread t = new Thread(() -> {
            tid[0] = threadId();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 2000);
            } catch (Exception refused) {
                // expected
            }
            connected.countDown();
            try {
                read.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pcu-connector-7");
        try {
            t.start();
            connected.await();
            Thread.sleep(300);
        } finally {
            events = recorder.stop();
            read.countDown();
            t.join();
        }
        String jvmName = Files.readString(Path.of("/proc/self/comm")).strip();
        long jvm = ProcessHandle.current().pid();
        assertThat(tid[0]).as("the connecting thread is not the process's main thread").isNotEqualTo(jvm);
        assertThat(events).filteredOn(e -> e.name().equals("inet_sock_set_state")
                        && e.field("newstate").equals("TCP_SYN_SENT") && e.field("dport").equals(Integer.toString(port)))
                .isNotEmpty()
                .allSatisfy(e -> {
                    // in a child PID namespace the trace's ids are the host's, none of ours: no process named
                    assertThat(e.pid()).as("the process id, not the thread's").isEqualTo(HOST ? jvm : -1);
                    assertThat(e.comm()).as("the process's name, not the thread's").isEqualTo(HOST ? jvmName : "");
                });
        assertThat(KernelRecorder.tgidOf(ProcessHandle.current().pid())).isEqualTo(jvm);
        assertThat(KernelRecorder.tgidOf(Long.MAX_VALUE)).as("no such thread").isEqualTo(-1);
    }

    /** This thread's kernel id (/proc/thread-self). */
    private static long threadId() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
