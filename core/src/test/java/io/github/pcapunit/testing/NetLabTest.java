package io.github.pcapunit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.capture.internal.ChildPidNamespace;
import io.github.pcapunit.core.capture.internal.PidNamespaces;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetLabTest {

    private static final Duration SHORT = Duration.ofMillis(1500);

    @BeforeAll
    static void requireLab() {
        NetLab.assumeAvailable();
    }

    @AfterAll
    static void nothingLeftBehind() {
        if (NetLab.unavailableReason().isEmpty()) {
            assertThat(Leftovers.ofThisProcess()).isEmpty();
        }
    }

    @Test
    void twoLinkedNamespaces_pingCrossesAndEchoServerAnswers() {
        try (NetLab lab = NetLab.create()) {
            Host app = lab.host("app", "10.200.1.10");
            Host db = lab.host("db", "10.200.1.20");
            lab.link(app, db);
            db.tcpEchoServer(1433);

            assertThat(app.ping("10.200.1.20", 1, Duration.ofSeconds(2))).isTrue();
            ConnectResult result = app.connectTcp("10.200.1.20", 1433, SHORT);
            assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.CONNECTED);
            assertThat(result.detail()).isEqualTo("pcapunit");
            assertThat(result.localPort()).isPositive();
            // Both ends live in namespaces: the root namespace has no route into the lab.
            assertThat(app.exec("ip", "-br", "addr").stdout()).contains("10.200.1.10/24");
        }
    }

    @Test
    void nftDropOnAppOutput_connectTimesOutWhilePingPasses() {
        try (NetLab lab = NetLab.create()) {
            Host app = lab.host("app", "10.200.1.10");
            Host db = lab.host("db", "10.200.1.20");
            lab.link(app, db);
            db.tcpEchoServer(1433);

            app.firewall().dropOutput("tcp dport 1433");

            assertThat(app.connectTcp("10.200.1.20", 1433, SHORT).outcome())
                    .isEqualTo(ConnectResult.Outcome.TIMED_OUT);
            assertThat(app.ping("10.200.1.20", 1, Duration.ofSeconds(2))).isTrue();
            assertThat(app.firewall().ruleset()).contains("tcp dport 1433", "drop");
        }
    }

    @Test
    void acceptRuleInsertedBeforeDrop_connectSucceedsAgain() {
        try (NetLab lab = NetLab.create()) {
            Host app = lab.host("app", "10.200.1.10");
            Host db = lab.host("db", "10.200.1.20");
            lab.link(app, db);
            db.tcpEchoServer(1433);
            app.firewall().dropOutput("tcp dport 1433");

            app.firewall().acceptOutput("tcp dport 1433");

            assertThat(app.connectTcp("10.200.1.20", 1433, SHORT).outcome())
                    .isEqualTo(ConnectResult.Outcome.CONNECTED);
        }
    }

    @Test
    void rejectWithResetOnDbInput_connectIsRefused() {
        try (NetLab lab = NetLab.create()) {
            Host app = lab.host("app", "10.200.1.10");
            Host db = lab.host("db", "10.200.1.20");
            lab.link(app, db);
            db.tcpEchoServer(1433);

            db.firewall().rejectInput("tcp dport 1433", "tcp reset");

            assertThat(app.connectTcp("10.200.1.20", 1433, SHORT).outcome())
                    .isEqualTo(ConnectResult.Outcome.REFUSED);
        }
    }

    @Test
    void iptablesDropOnDbInput_pingFails() {
        try (NetLab lab = NetLab.create()) {
            Host app = lab.host("app", "10.200.1.10");
            Host db = lab.host("db", "10.200.1.20");
            lab.link(app, db);

            db.iptables("-A", "INPUT", "-p", "icmp", "--icmp-type", "echo-request", "-j", "DROP");

            assertThat(app.ping("10.200.1.20", 1, Duration.ofSeconds(1))).isFalse();
        }
    }

    @Test
    void jvmLink_javaSocketsReachTcpAndUdpEchoInNamespace() throws Exception {
        try (NetLab lab = NetLab.create()) {
            JvmLink link = lab.linkToJvm("db");
            Host db = link.host();
            db.tcpEchoServer(1433);
            db.udpEchoServer(5353);

            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(db.address(), 1433), 2000);
                socket.setSoTimeout(2000);
                assertThat(socket.getLocalAddress().getHostAddress()).isEqualTo(link.jvmAddress());
                OutputStream out = socket.getOutputStream();
                out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
            }
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.setSoTimeout(2000);
                byte[] payload = "ping".getBytes(StandardCharsets.US_ASCII);
                udp.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(db.address()), 5353));
                DatagramPacket reply = new DatagramPacket(new byte[16], 16);
                udp.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            }
        }
    }

    @Test
    void jvmLinkFirewall_dropsOnlyThisLinksTraffic() throws Exception {
        try (NetLab lab = NetLab.create()) {
            JvmLink link = lab.linkToJvm("db");
            link.host().tcpEchoServer(1433);

            link.firewall().dropOutput("tcp dport 1433");

            assertThat(link.firewall().ruleset()).contains("oifname \"" + link.interfaceName() + "\"");
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(link.host().address(), 1433), 800))
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
    }

    @Test
    void twoConcurrentJvmLinks_getDistinctSubnetsAndInterfaces() {
        try (NetLab first = NetLab.create(); NetLab second = NetLab.create()) {
            JvmLink a = first.linkToJvm("db");
            JvmLink b = second.linkToJvm("db");

            assertThat(a.interfaceName()).isNotEqualTo(b.interfaceName());
            assertThat(a.jvmAddress()).isNotEqualTo(b.jvmAddress());
            assertThat(a.host().namespace()).isNotEqualTo(b.host().namespace());
        }
    }

    @Test
    void close_removesNamespacesVethsAndTables() {
        NetLab lab = NetLab.create();
        Host app = lab.host("app", "10.200.1.10");
        Host db = lab.host("db", "10.200.1.20");
        lab.link(app, db);
        JvmLink link = lab.linkToJvm("web");
        link.firewall().dropInput("udp dport 9");
        db.tcpEchoServer(1433);
        List<String> during = Leftovers.ofThisProcess();
        assertThat(during).anyMatch(s -> s.contains(app.namespace()))
                .anyMatch(s -> s.contains(link.interfaceName()))
                .anyMatch(s -> s.contains(link.firewall().table()));

        lab.close();

        assertThat(Leftovers.all()).noneMatch(s -> s.contains(lab.id()) || s.contains(link.interfaceName() + " ")
                || s.contains(link.firewall().table() + " "));
        assertThat(Leftovers.SLOT_DIR.resolve("slot-" + link.slot())).doesNotExist();
    }

    @Test
    void namespaceOfDeadProcess_isRemovedByRemoveStale() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String stale = "pcapunit-" + dead.pid() + "-1-ghost" + PidNamespaces.suffix("-");
        Commands.run("ip", "netns", "add", stale);

        List<String> removed = Leftovers.removeStale();

        assertThat(removed).anyMatch(s -> s.contains(stale));
        assertThat(Leftovers.all()).noneMatch(s -> s.contains(stale));
    }

    /**
     * A pid is checkable only where its PID namespace's processes are seen: a JVM under
     * {@code unshare -pf} once removed a concurrent suite's live namespaces because their pids
     * looked dead from inside. With a real child PID namespace and a live process in it: its items
     * stay in every sweep, also one named the old way (no pidns, as code before such names wrote
     * inside a container); an item of a pid that namespace does not have is removed from the
     * initial namespace, which sees every process, and left alone from inside a child one.
     */
    @Test
    void itemsOfAnotherPidNamespace_areRemovedOnlyWhereTheirCreatorIsSeenGone() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        boolean host = PidNamespaces.own().orElse("").equals(PidNamespaces.INITIAL);
        try (ChildPidNamespace child = ChildPidNamespace.start()) {
            String ours = "pcapunit-" + dead.pid() + "-1-mine" + PidNamespaces.suffix("-");
            String live = "pcapunit-" + child.pid() + "-1-live-pidns" + child.inode();
            String oldStyle = "pcapunit-" + child.pid() + "-1-old"; // alive only in the child namespace
            String goneThere = "pcapunit-" + (child.pid() + 1) + "-1-gone-pidns" + child.inode();
            String liveTable = "pcapunit_" + child.pid() + "_1_pidns" + child.inode();
            List<String> names = List.of(ours, live, oldStyle, goneThere);
            try {
                for (String name : names) {
                    Commands.run("ip", "netns", "add", name);
                }
                Commands.run("nft", "add", "table", "inet", liveTable);

                List<String> removed = Leftovers.removeStale();

                assertThat(removed).anyMatch(s -> s.contains(ours + " "));
                assertThat(removed).as("a live process's items, whatever their names")
                        .noneMatch(s -> s.contains(live + " ") || s.contains(oldStyle + " ") || s.contains(liveTable));
                if (host) {
                    assertThat(removed).as("pid %d is not in namespace %s", child.pid() + 1, child.inode())
                            .anyMatch(s -> s.contains(goneThere + " "));
                } else {
                    assertThat(removed).as("another namespace's, not seen from here").noneMatch(s -> s.contains(goneThere));
                }
                assertThat(Leftovers.all()).anyMatch(s -> s.contains(live + " ")).anyMatch(s -> s.contains(liveTable))
                        .noneMatch(s -> s.contains(ours + " "));
            } finally {
                for (String name : names) {
                    Commands.exec(List.of("ip", "netns", "del", name), null, Commands.DEFAULT_TIMEOUT);
                }
                Commands.exec(List.of("nft", "delete", "table", "inet", liveTable), null, Commands.DEFAULT_TIMEOUT);
            }
        }
    }

    /**
     * A {@code pcu} veth without a slot file names no creator (its slot file may be in another
     * mount namespace's /run, as a container sharing the host's network has it): a sweep leaves it
     * alone; it goes with the namespace at its other end.
     */
    @Test
    void vethWithoutSlotFile_isLeftAloneByRemoveStale() {
        String veth = "pcu" + (90_000 + ProcessHandle.current().pid() % 10_000);
        String peer = "pcapunit-" + ProcessHandle.current().pid() + "-noslot";
        assertThat(Leftovers.SLOT_DIR.resolve("slot-" + veth.substring(3))).doesNotExist();
        Commands.run("ip", "netns", "add", peer);
        try {
            Commands.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "to-jvm", "netns", peer);

            List<String> removed = Leftovers.removeStale();

            assertThat(removed).noneMatch(s -> s.contains(veth + " "));
            assertThat(Commands.exec(List.of("ip", "link", "show", veth), null, Commands.DEFAULT_TIMEOUT).succeeded())
                    .as("veth %s still there", veth).isTrue();
        } finally {
            Commands.exec(List.of("ip", "netns", "del", peer), null, Commands.DEFAULT_TIMEOUT); // the veth goes with it
        }
    }

    @Test
    void nonLabAddress_isRejectedBeforeAnythingIsCreated() {
        try (NetLab lab = NetLab.create()) {
            assertThatThrownBy(() -> lab.host("app", "8.8.8.8"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"8.8.8.8\"").hasMessageContaining("10.200.x.y");
            assertThatThrownBy(() -> lab.host("App!", "10.200.1.1"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"App!\"");
            assertThat(Leftovers.ofThisProcess()).noneMatch(s -> s.contains(lab.id()));
        }
    }

    @Test
    void badNftRule_failsNamingNftsReason() {
        try (NetLab lab = NetLab.create()) {
            Host app = lab.host("app", "10.200.1.10");
            assertThatThrownBy(() -> app.firewall().dropOutput("tcp dport bogus"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tcp dport bogus").hasMessageContaining("nft rejected");
        }
    }
}
