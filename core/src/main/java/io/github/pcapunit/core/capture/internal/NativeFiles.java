package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.SectionHeader;
import io.github.pcapunit.core.pcapng.internal.Merger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The names of the native (classic pcap) files a capture writes while it runs, and what happens
 * to them when the capture cannot finish normally. A capture writing {@code out.pcapng} keeps
 * {@code .out.pcapng.pid<PID>.<interface>.pcap} beside it; the pid says whose it is.
 *
 * <ul>
 *   <li>A JVM killed with SIGKILL (or a crash) never converts them: {@link #recover(Path)} turns
 *       the files of a process that is gone into {@code out.recovered-<PID>.pcapng}, whose section
 *       comment says it came from a killed run, and removes them. Every capture start runs it on
 *       its output directory; the CLI's {@code recover} command runs it on demand.</li>
 *   <li>When the pcapng cannot be written (a full disk), {@link #keep} renames them to visible
 *       {@code out.<interface>.pcap} files and says so in the exception.</li>
 * </ul>
 *
 * <pre>{@code
 * for (NativeFiles.Recovered r : NativeFiles.recover(Path.of("target/pcapunit"))) {
 *     System.err.println(r.describe());
 * }
 * }</pre>
 */
public final class NativeFiles {

    /** {@code .<output name>.pid<pid>.<interface>.pcap}. */
    private static final Pattern NATIVE = Pattern.compile("\\.(.+)\\.pid(\\d{1,18})\\.(.+)\\.pcap");
    /** {@code PCAPUNIT_EVENT} of the journal entry a recovered file starts with. */
    public static final String RECOVERED_EVENT = "recovered";

    private NativeFiles() {
    }

    /** The base name of this process's native files for {@code output} (the interface and ".pcap" follow). */
    static Path base(Path output) {
        return output.resolveSibling("." + output.getFileName() + ".pid" + ProcessHandle.current().pid());
    }

    /** One pcapng written from the native files of a killed run, or a file that could not be. */
    public record Recovered(Path pcapng, List<Path> from, long pid, long packets, String failure) {

        /** One line for people: what was recovered from where, or why not. */
        public String describe() {
            if (failure != null) {
                return "pcapunit: could not recover the native capture " + from + " of killed process " + pid + ": "
                        + failure + "; it is left in place";
            }
            if (pcapng == null) {
                return "pcapunit: removed the empty native capture " + from + " of killed process " + pid
                        + " (it was killed before writing any packet)";
            }
            return "pcapunit: recovered " + packets + " packet(s) of a capture whose process (pid " + pid
                    + ") was killed before stop(): " + pcapng + " (from " + from + ", now removed)";
        }
    }

    /**
     * Recovers the native files of dead processes in {@code dirOrFile} (a directory, or one native
     * file and its siblings of the same capture). Files of live processes are left alone.
     *
     * @return one entry per capture found, recovered or not
     */
    public static List<Recovered> recover(Path dirOrFile) {
        Path dir = Files.isDirectory(dirOrFile) ? dirOrFile : dirOrFile.toAbsolutePath().getParent();
        String only = Files.isDirectory(dirOrFile) ? null : dirOrFile.getFileName().toString();
        Map<String, List<Path>> groups = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = NATIVE.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    String key = m.group(1) + "\u0000" + m.group(2);
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                }
            }
        } catch (IOException e) {
            throw new CaptureException("cannot list " + dir + " for native captures of killed runs: " + e, e);
        }
        List<Recovered> out = new ArrayList<>();
        for (Map.Entry<String, List<Path>> g : groups.entrySet()) {
            String[] key = g.getKey().split("\u0000");
            long pid = Long.parseLong(key[1]);
            List<Path> files = g.getValue();
            if (only != null && files.stream().noneMatch(f -> f.getFileName().toString().equals(only))) {
                continue;
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue; // still capturing (or the pid was reused: recovered once that process is gone)
            }
            out.add(recover(dir, key[0], pid, files));
        }
        return out;
    }

    /** Announces on stderr what {@link #recover(Path)} did in {@code dir}; never fails a capture. */
    static void recoverQuietly(Path dir) {
        try {
            for (Recovered r : recover(dir)) {
                System.err.println(r.describe());
            }
        } catch (RuntimeException e) {
            System.err.println("pcapunit: could not look for native captures of killed runs in " + dir + ": " + e);
        }
    }

    private static Recovered recover(Path dir, String outputName, long pid, List<Path> files) {
        List<Path> withPackets = new ArrayList<>();
        for (Path f : files) {
            try {
                if (Files.size(f) > 24) { // more than the pcap file header: at least part of a packet
                    withPackets.add(f);
                }
            } catch (IOException e) {
                return new Recovered(null, files, pid, 0, e.toString());
            }
        }
        if (withPackets.isEmpty()) {
            deleteAll(files);
            return new Recovered(null, files, pid, 0, null);
        }
        Path out = dir.resolve(baseName(outputName) + ".recovered-" + pid + ".pcapng");
        List<Merger.Input> inputs = new ArrayList<>();
        for (Path f : withPackets) {
            Matcher m = NATIVE.matcher(f.getFileName().toString());
            m.matches();
            inputs.add(new Merger.Input(f, InterfaceDescription.builder().name(m.group(3))
                    .tsresol(InterfaceDescription.TSRESOL_NANOS).build(), 0, -1, null)
                    .skipping(Conversion::isMarker));
        }
        Instant modified = lastModified(withPackets);
        String comment = "pcapunit: recovered from the native capture of a killed run: process " + pid
                + " was capturing to " + dir.resolve(outputName) + " and ended without stop() (SIGKILL or a crash)."
                + " Its statistics, marks and kernel evidence are lost and its last packet may be cut."
                + " Recovered from " + withPackets.stream().map(p -> p.getFileName().toString()).toList()
                + " (last written " + modified + ") at " + Instant.now() + ".";
        JournalEntry note = JournalEntry.builder(modified)
                .field(JournalKey.MESSAGE, comment)
                .field(JournalKey.SYSLOG_IDENTIFIER, "pcapunit")
                .field(JournalKey.PCAPUNIT_EVENT, RECOVERED_EVENT)
                .build();
        try {
            Merger.Result r = new Merger(inputs, List.of(note)).convert(out, cut -> SectionHeader.builder()
                    .comment(comment).userAppl("pcapunit (recovery)").build());
            deleteAll(files);
            return new Recovered(out, files, pid, r.packets, null);
        } catch (RuntimeException e) {
            return new Recovered(null, files, pid, 0, e.getMessage());
        }
    }

    /**
     * After the pcapng could not be written: renames this capture's native files to visible
     * {@code <name>.<interface>.pcap} files next to {@code output} and returns the exception to
     * throw, which names them and keeps {@code cause}.
     */
    static CaptureException keep(Path output, List<Path> nativeFiles, CaptureException cause) {
        List<Path> kept = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String prefix = "." + output.getFileName() + ".pid" + ProcessHandle.current().pid() + ".";
        for (Path f : nativeFiles) {
            String name = f.getFileName().toString();
            String iface = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
            Path visible = f.resolveSibling(baseName(output.getFileName().toString()) + "." + iface);
            try {
                Files.move(f, visible, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                kept.add(visible);
            } catch (IOException e) {
                problems.add(f + " (" + e + ")");
            }
        }
        String message = cause.getMessage() + ". Nothing captured was deleted: the packets are kept as classic pcap in "
                + kept + (problems.isEmpty() ? "" : " and " + problems)
                + " (tshark and Wireshark read them). Free space, then convert them with"
                + " java -cp pcapunit-core.jar io.github.pcapunit.core.cli.Pcapunit recover " + String.join(" ",
                        kept.stream().map(Path::toString).toList());
        return new CaptureException(message, cause);
    }

    /**
     * Converts a classic pcap file (e.g. one {@link #keep} left) to {@code <name>.pcapng} beside it;
     * the pcap is left in place.
     */
    public static Path convertKept(Path pcap) {
        String name = pcap.getFileName().toString();
        Path out = pcap.resolveSibling((name.endsWith(".pcap") ? name.substring(0, name.length() - 5) : name)
                + ".pcapng");
        new Merger(List.of(Merger.Input.whole(pcap, null)), List.of()).convert(out, cut -> SectionHeader.builder()
                .comment("pcapunit: converted from the native capture " + pcap + " that a capture kept when it could"
                        + " not write its pcapng").userAppl("pcapunit (recovery)").build());
        return out;
    }

    /** Whether {@code file}'s name is that of a native capture file. */
    public static boolean isNative(Path file) {
        return NATIVE.matcher(file.getFileName().toString()).matches();
    }

    private static Instant lastModified(List<Path> files) {
        Instant last = Instant.EPOCH;
        for (Path f : files) {
            try {
                Instant t = Files.getLastModifiedTime(f).toInstant();
                last = t.isAfter(last) ? t : last;
            } catch (IOException e) {
                // the others still date it
            }
        }
        return last;
    }

    private static void deleteAll(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // reported by the next recovery, which finds it again
            }
        }
    }

    static String baseName(String fileName) {
        return fileName.endsWith(".pcapng") ? fileName.substring(0, fileName.length() - 7) : fileName;
    }
}
