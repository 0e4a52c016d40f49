package io.github.pcapunit.core.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.EngineTools;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interface indexes, names and MACs of a capture in another network namespace are looked up in
 * that namespace, not in the JVM's. The veths of a fresh namespace get small ifindexes (2, 3) that
 * the JVM's namespace gives its own interfaces too, so a lookup in the wrong namespace names the
 * packets of an {@code any} capture after the JVM's interfaces; and a namespace's {@code eth0} is
 * not the JVM's {@code eth0}, whose MAC would turn every outbound frame inbound.
 *
 * <p>Before the fix, a capture started by a thread inside the namespace and stopped by a thread
 * in the JVM's (as a JUnit extension's afterEach does) named the namespace's ifindexes 2 and 3
 * after the JVM's interfaces with those indexes, and an Ethernet capture of the namespace's
 * {@code eth0} read the JVM's {@code eth0} MAC from sysfs (which shows the namespace of whoever
 * mounted it), so the namespace's own requests were written inbound.
 */
@ExtendWith(LabCaptures.class)
class NamespaceInterfaceLookupTest {

    @TempDir
    Path dir;

    @Test
    void anyOfAPoint_namesEachIfindexAsTheCapturedNamespaceDoes() {
        try (NetLab lab = NetLab.create()) {
            Host a = threeHosts(lab, 41);
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(a.namespace()).named("nsa"))
                    .filter("icmp").kernelEvidence(KernelEvidence.OFF).output(dir.resolve("point.pcapng")).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                pingBoth(a, 41);
                result = capture.stop();
            }
            assertNamesMatchNamespace(result, a, "nsa/");
        }
    }

    @Test
    void anyStartedInsideTheNamespace_stoppedFromTheJvmsNamespace_namesItsInterfaces() throws Exception {
        try (InsideNamespace inside = InsideNamespace.create(lab -> threeHosts(lab, 42))) {
            Host a = inside.host();
            CaptureSpec spec = CaptureSpec.builder().interfaces("any").filter("icmp")
                    .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("inside.pcapng")).build();
            CaptureResult result = inside.capture(spec, capture -> pingBoth(a, 42));   // stopped from the JVM's namespace
            assertNamesMatchNamespace(result, a, "");
        }
    }

    @Test
    void ethernetInsideTheNamespace_usesThatNamespacesMac_forTheDirection() throws Exception {
        try (InsideNamespace inside = InsideNamespace.create(lab -> {
            Host m = lab.host("macm", "10.200.43.1");
            Host n = lab.host("macn", "10.200.43.2");
            // the namespace's eth0, which the JVM's namespace has too (with another MAC)
            m.run("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", n.namespace());
            m.run("ip", "addr", "add", "10.200.43.1/24", "dev", "eth0");
            m.run("ip", "link", "set", "eth0", "up");
            n.run("ip", "addr", "add", "10.200.43.2/24", "dev", "eth0");
            n.run("ip", "link", "set", "eth0", "up");
            return m;
        })) {
            Host m = inside.host();
            CaptureSpec spec = CaptureSpec.builder().interfaces("eth0").filter("icmp")
                    .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("eth0.pcapng")).build();
            CaptureResult result = inside.capture(spec,
                    capture -> assertThat(m.ping("10.200.43.2", 3, Duration.ofSeconds(5))).isTrue());
            List<String> rows = EngineTools.tshark(result.file(), null, "icmp.type", "frame.packet_flags_direction");
            assertThat(rows).as("3 requests and 3 replies").hasSize(6);
            // epb_flags direction: 1 inbound, 2 outbound (tshark prints 0x1 / 0x2)
            assertThat(rows).as("requests leave m, replies arrive").allSatisfy(r -> {
                String[] f = r.split("\\|", -1);
                assertThat(Integer.decode(f[1])).as(r).isEqualTo(f[0].equals("8") ? 2 : 1);
            });
        }
    }

    /**
     * Hosts a, b, c with veths a-b and a-c created inside a's namespace: there they get ifindexes
     * 2 and 3 (lo is 1), which the JVM's namespace uses too. a-b is 10.200.net.0/24, a-c
     * 10.200.(net+50).0/24.
     */
    private static Host threeHosts(NetLab lab, int net) {
        Host a = lab.host("a", "10.200." + net + ".1");
        Host b = lab.host("b", "10.200." + net + ".2");
        Host c = lab.host("c", "10.200." + (net + 50) + ".2");
        lab.link(a, b);
        a.run("ip", "link", "add", "to-c", "type", "veth", "peer", "name", "to-a", "netns", c.namespace());
        a.run("ip", "addr", "add", "10.200." + (net + 50) + ".1/24", "dev", "to-c");
        a.run("ip", "link", "set", "to-c", "up");
        c.run("ip", "addr", "add", "10.200." + (net + 50) + ".2/24", "dev", "to-a");
        c.run("ip", "link", "set", "to-a", "up");
        return a;
    }

    private static void pingBoth(Host a, int net) {
        assertThat(a.ping("10.200." + net + ".2", 2, Duration.ofSeconds(5))).isTrue();
        assertThat(a.ping("10.200." + (net + 50) + ".2", 2, Duration.ofSeconds(5))).isTrue();
    }

    /** Each packet's interface in the file is what {@code ip -n <a> link} calls its SLL2 ifindex. */
    private static void assertNamesMatchNamespace(CaptureResult result, Host a, String prefix) {
        Map<String, String> inside = links(List.of("ip", "-n", a.namespace(), "-o", "link"));
        Map<String, String> jvm = links(List.of("ip", "-o", "link"));
        List<String> rows = EngineTools.tshark(result.file(), null, "sll.ifindex", "frame.interface_name");
        assertThat(rows).as("8 echo packets on a's two veths").hasSize(8);
        for (String r : rows) {
            String[] f = r.split("\\|", -1);
            assertThat(inside).as("ifindex %s of %s", f[0], r).containsKey(f[0]);
            assertThat(f[1]).as("%s (in the JVM's namespace ifindex %s is %s)", r, f[0], jvm.get(f[0]))
                    .isEqualTo(prefix + inside.get(f[0]));
        }
        assertThat(rows.stream().map(r -> r.split("\\|", -1)[1]).distinct())
                .containsExactlyInAnyOrder(prefix + "to-b", prefix + "to-c");
    }

    /** ifindex → name from {@code ip -o link} ("2: to-b@if2: <...>"). */
    private static Map<String, String> links(List<String> command) {
        Map<String, String> out = new HashMap<>();
        Pattern p = Pattern.compile("^(\\d+): ([^:@ ]+)");
        for (String line : EngineTools.run(command)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }
}
