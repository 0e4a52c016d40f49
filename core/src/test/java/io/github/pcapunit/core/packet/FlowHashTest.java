package io.github.pcapunit.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flow's hash is the same in every JVM, so tables of flows (the verdicts' leftovers, the CLI's
 * footers) iterate in the same order on every run: the CLI's output is reproducible.
 */
class FlowHashTest {

    static final List<Flow> FLOWS = List.of(
            Flow.of(IpProtocol.TCP, Endpoint.of("10.200.1.10", 50122), Endpoint.of("10.200.1.20", 1433)),
            Flow.of(IpProtocol.UDP, Endpoint.of("10.200.1.10", 5353), Endpoint.of("10.200.1.20", 53)),
            Flow.of(IpProtocol.ICMP, Endpoint.of("10.200.1.10", -1), Endpoint.of("10.200.1.20", -1)),
            Flow.of(IpProtocol.TCP, Endpoint.of("fd00:200:1::10", 40000), Endpoint.of("fd00:200:1::20", 443)));

    @Test
    void hashesAreTheSameInAnotherJvm() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        String child = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, p.waitFor(), child);
        assertEquals(hashes(), child);
    }

    static String hashes() {
        StringBuilder s = new StringBuilder();
        for (Flow f : FLOWS) {
            s.append(s.length() == 0 ? "" : ",").append(f.hashCode());
        }
        return s.toString();
    }

    /** Prints the hashes of {@link #FLOWS} in a fresh JVM. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println(hashes());
        }
    }
}
