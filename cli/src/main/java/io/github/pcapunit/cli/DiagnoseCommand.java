package io.github.pcapunit.cli;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code diagnose FILE}: what went wrong in a capture, without rules: whether the capture is
 * complete, the kernel evidence it holds, and every drop core finds (refused or unanswered
 * connections, ICMP errors, kernel and firewall records), one line each. Exit status 0 when the
 * file was read, whatever it shows; 2 when it cannot be read.
 *
 * <pre>
 * diagnose ci-artifacts/app.pcapng.gz
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
        try {
            CapturedTraffic traffic = CapturedTraffic.read(Inputs.plain(Path.of(args[0])));
            // TODO when core's per-flow verdicts (issue 12) are committed: print them instead of drops.
            List<Drop> drops = traffic.drops();
            out.println(args[0] + ": " + traffic.packetCount()
                    + (traffic.packetCount() == 1 ? " packet" : " packets") + ", "
                    + traffic.incompleteness().map(i -> "incomplete: " + i).orElse("complete capture")
                    + ", kernel evidence " + traffic.kernelEvidenceStatus().orElse("none in file"));
            if (drops.isEmpty()) {
                out.println("no drops: no refused or unanswered connection, no ICMP error,"
                        + " no kernel or firewall drop");
            } else {
                out.println(drops.size() + (drops.size() == 1 ? " drop:" : " drops:"));
                drops.forEach(d -> out.println("  " + d));
            }
            return 0;
        } catch (CaptureException | IOException e) {
            err.println("pcapunit diagnose: " + e.getMessage());
            return 2;
        }
    }
}
