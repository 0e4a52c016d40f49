package io.github.pcapunit.cli;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Diagnosis;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code diagnose FILE}: what went wrong in a capture, without rules. First whether the capture
 * is complete and the kernel evidence it holds; then the flows counted by {@link Fate}; then one
 * {@link Diagnosis} per destination (host:port, or a host that was only pinged), reachable or
 * not; then the {@link Verdict} of every flow that failed or lost packets, with its evidence; last
 * the drops no flow explains (capture loss, kernel records without addresses). Exit status 0 when
 * the file was read, whatever it shows; 2 when it cannot be read.
 *
 * <pre>
 * diagnose ci-artifacts/app.pcapng.gz
 * ci-artifacts/app.pcapng.gz: 2 packets, complete capture, kernel evidence none in file
 * 1 flow: 1 refused by the server
 * 1 destination, 1 not reachable:
 *   [NOT REACHABLE] 10.0.1.20: no ICMP echo was sent; port 1433: TCP 10.0.1.10:50122 → 10.0.1.20:1433 was refused ...
 * 1 flow failed or lost packets:
 *   [REFUSED, inferred] TCP 10.0.1.10:50122 → 10.0.1.20:1433 was refused by the server 10.0.1.20: ...
 *     SYN 10.0.1.10:50122 → 10.0.1.20:1433 at +0.000 s refused: RST from 10.0.1.20:1433 at +0.000 s
 * </pre>
 */
final class DiagnoseCommand {

    private DiagnoseCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].startsWith("--")) {
            err.println("pcapunit diagnose: diagnose takes exactly one file, got "
                    + List.of(args) + ".\n" + Main.USAGE);
            return 2;
        }
        List<String> lines = new ArrayList<>();
        try {
            CapturedTraffic traffic = CapturedTraffic.read(Path.of(args[0]));
            lines.add(args[0] + ": " + count(traffic.packetCount(), "packet") + ", "
                    + traffic.incompleteness().map(i -> "incomplete: " + i).orElse("complete capture")
                    + ", kernel evidence " + traffic.kernelEvidenceStatus().orElse("none in file"));
            lines.add(flows(traffic.flowsByFate()));
            destinations(traffic.diagnoses(), lines);
            Set<Drop> claimed = failures(traffic.verdictsWithLoss(), lines);
            otherDrops(traffic.drops(), claimed, lines);
        } catch (CaptureException e) {
            err.println("pcapunit diagnose: " + e.getMessage());
            return 2;
        }
        lines.forEach(out::println);
        return 0;
    }

    /** {@code 3 flows: 1 completed, 2 refused by the server}. */
    private static String flows(Map<Fate, Long> counts) {
        if (counts.isEmpty()) {
            return "no flows: no TCP connection, UDP exchange, ICMP echo or kernel drop record";
        }
        long flows = 0;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Fate, Long> e : counts.entrySet()) {
            flows += e.getValue();
            parts.add(e.getValue() + " " + e.getKey().text());
        }
        return count(flows, "flow") + ": " + String.join(", ", parts);
    }

    private static void destinations(List<Diagnosis> diagnoses, List<String> lines) {
        if (diagnoses.isEmpty()) {
            return;
        }
        long unreachable = diagnoses.stream().filter(d -> !d.isReachable()).count();
        lines.add(count(diagnoses.size(), "destination") + ", " + unreachable + " not reachable:");
        for (Diagnosis d : diagnoses) {
            lines.add("  " + (d.isReachable() ? "[reachable] " : "[NOT REACHABLE] ") + d.sentence());
        }
    }

    /**
     * The failed or lossy flows with their evidence; returns the drops they explain, which are all
     * the drops any verdict claims: a verdict with drops has loss ({@link Verdict#hasLoss()}).
     */
    private static Set<Drop> failures(List<Verdict> lossy, List<String> lines) {
        Set<Drop> claimed = new HashSet<>();
        lossy.forEach(v -> claimed.addAll(v.drops()));
        if (lossy.isEmpty()) {
            lines.add("no flow failed or lost packets");
            return claimed;
        }
        lines.add(count(lossy.size(), "flow") + " failed or lost packets:");
        for (Verdict v : lossy) {
            lines.add("  " + v);
            v.evidence().forEach(e -> lines.add("    " + e));
        }
        return claimed;
    }

    private static void otherDrops(List<Drop> drops, Set<Drop> claimed, List<String> lines) {
        List<Drop> other = drops.stream().filter(d -> !claimed.contains(d)).toList();
        if (!other.isEmpty()) {
            lines.add(count(other.size(), "drop") + " no flow explains:");
            other.forEach(d -> lines.add("  " + d));
        }
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
