package io.github.pcapunit.cli;

import io.github.pcapunit.core.cli.Pcapunit;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code java -jar pcapunit-cli.jar}: reads, checks and explains any pcap/pcapng file (tcpdump,
 * Wireshark, pcapunit), also gzip-compressed ({@code .pcapng.gz}, decompressed as it is read, so
 * messages name the file given).
 *
 * <pre>
 * java -jar pcapunit-cli.jar check target/pcapunit/app.pcapng --no-drops-to 1433 --complete
 * java -jar pcapunit-cli.jar diagnose ci-artifacts/app.pcapng.gz
 * java -jar pcapunit-cli.jar format --filter "tcp port 1433" app.pcapng
 * </pre>
 *
 * <p>{@code check} takes the rules of {@code capture:verify} (core's {@link
 * io.github.pcapunit.core.check.TrafficRule}s, as options) and fails with the same messages;
 * {@code diagnose} lists what went wrong in the file; {@code format} and {@code recover} are
 * core's commands ({@link Pcapunit}). Exit status: 0 passed, 1 a rule failed (or something could
 * not be recovered), 2 bad usage or an unreadable file, with the reason on stderr.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: java -jar pcapunit-cli.jar check FILE RULE...",
            "       java -jar pcapunit-cli.jar diagnose FILE",
            "       java -jar pcapunit-cli.jar format [--absolute] [--filter EXPR] [--no-footer] FILE",
            "       java -jar pcapunit-cli.jar recover DIR|FILE...",
            "FILE is a pcap or pcapng file, also gzip-compressed (named *.gz). The rules of check:",
            CheckCommand.ruleUsage());

    private Main() {
    }

    /**
     * Runs the command and exits the JVM with its status. Output goes to standard output as UTF-8
     * through a 64 KiB buffer, flushed once at the end: {@code System.out} flushes at every write,
     * which a million-line {@code format} would pay for.
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        int status = run(args, out, System.err);
        out.flush();
        System.exit(status);
    }

    /** Runs the command, printing to {@code out}/{@code err}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || Arrays.asList("help", "--help", "-h").contains(args[0])) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "check":
                return CheckCommand.run(rest, out, err);
            case "diagnose":
                return DiagnoseCommand.run(rest, out, err);
            case "format":
                return Pcapunit.run(args, out, err);
            case "recover":
                return Pcapunit.run(args, out, err);
            default:
                err.println("unknown command '" + args[0] + "': the commands are check, diagnose,"
                        + " format and recover.\n" + USAGE);
                return 2;
        }
    }
}
