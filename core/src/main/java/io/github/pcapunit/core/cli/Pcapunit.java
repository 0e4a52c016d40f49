package io.github.pcapunit.core.cli;

import io.github.pcapunit.core.CaptureException;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.internal.NativeFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line entry point. Needs only the core jar on the class path:
 *
 * <pre>
 * java -cp pcapunit-core.jar io.github.pcapunit.core.cli.Pcapunit format [--absolute] [--filter EXPR] [--no-footer] FILE
 * </pre>
 *
 * <p>{@code recover DIR|FILE} turns the native capture files a killed run left behind into
 * pcapng files (see {@link #run}).
 *
 * <p>{@code format} prints {@link TextFormat}'s rendering of any pcap/pcapng file: one line per
 * packet, journal entries in the timeline, then packet count, completeness and drops. Exit
 * status 0 on success, 2 for bad arguments or an unreadable file (the reason on stderr).
 *
 * <pre>{@code Pcapunit.main(new String[] {"format", "target/pcapunit/db.pcapng"});}</pre>
 */
public final class Pcapunit {

    static final String USAGE = "usage: java -cp pcapunit-core.jar io.github.pcapunit.core.cli.Pcapunit format"
            + " [--absolute] [--filter EXPR] [--no-footer] FILE.pcapng\n"
            + "       java -cp pcapunit-core.jar io.github.pcapunit.core.cli.Pcapunit recover DIR|FILE...";

    private Pcapunit() {
    }

    /** Runs the command and exits the JVM with its status. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * {@code recover DIR|FILE...}: converts the native captures that killed runs left (hidden
     * {@code .NAME.pcapng.pid<PID>.<interface>.pcap} files of processes that are gone) into
     * {@code NAME.recovered-<PID>.pcapng}, and a classic pcap a capture kept on a full disk
     * ({@code NAME.<interface>.pcap}) into {@code NAME.<interface>.pcapng}. Exit status 0 when
     * everything found was recovered, 1 when something could not be, 2 for bad arguments.
     */
    private static int recover(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println("recover takes a directory or file, e.g. recover target/pcapunit.\n" + USAGE);
            return 2;
        }
        int status = 0;
        for (int i = 1; i < args.length; i++) {
            Path p = Path.of(args[i]);
            if (!java.nio.file.Files.exists(p)) {
                err.println("pcapunit recover: " + p + " does not exist: name a directory or a .pcap file.");
                return 2;
            }
            try {
                if (java.nio.file.Files.isDirectory(p) || NativeFiles.isNative(p)) {
                    List<NativeFiles.Recovered> found = NativeFiles.recover(p);
                    for (NativeFiles.Recovered r : found) {
                        (r.failure() == null ? out : err).println(r.describe());
                        status = r.failure() == null ? status : 1;
                    }
                    if (found.isEmpty()) {
                        out.println("pcapunit: no native capture of a killed run in " + p);
                    }
                } else {
                    out.println("pcapunit: converted " + p + " to " + NativeFiles.convertKept(p));
                }
            } catch (CaptureException e) {
                err.println("pcapunit recover: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    /** Runs the command, printing to {@code out}/{@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("recover")) {
            return recover(args, out, err);
        }
        if (!args[0].equals("format")) {
            err.println("unknown command '" + args[0] + "': the commands are 'format' and 'recover'.\n" + USAGE);
            return 2;
        }
        TextFormat format = TextFormat.relative();
        boolean footer = true;
        String filter = null;
        List<String> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--absolute":
                    format = TextFormat.absolute().withFooter(footer);
                    break;
                case "--no-footer":
                    format = format.withFooter(false);
                    footer = false;
                    break;
                case "--filter":
                    if (i + 1 >= args.length) {
                        err.println("--filter needs an expression, e.g. --filter \"tcp port 1433\".\n" + USAGE);
                        return 2;
                    }
                    filter = args[++i];
                    break;
                default:
                    if (args[i].startsWith("--")) {
                        err.println("unknown option '" + args[i] + "'.\n" + USAGE);
                        return 2;
                    }
                    files.add(args[i]);
            }
        }
        if (files.size() != 1) {
            err.println("format takes exactly one file, got " + files.size() + " " + files + ".\n" + USAGE);
            return 2;
        }
        try {
            CapturedTraffic traffic = CapturedTraffic.read(Path.of(files.get(0)));
            if (filter != null) {
                traffic = traffic.filter(filter);
            }
            if (footer) {
                format.writeUtf8OneDecode(traffic, out); // the listing from the analysis's own decode
            } else {
                format.writeUtf8(traffic, out, () -> { });
            }
            return 0;
        } catch (CaptureException e) {
            err.println("pcapunit format: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("pcapunit format: writing the output failed: " + e);
            return 2;
        }
    }
}
