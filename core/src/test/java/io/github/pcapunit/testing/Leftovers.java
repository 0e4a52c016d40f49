package io.github.pcapunit.testing;

import io.github.pcapunit.core.capture.internal.PidNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The "nothing left behind" checker: lists what pcapunit and its test lab create on the machine
 * (network namespaces {@code pcapunit-<pid>-…}, root-namespace veths {@code pcu<slot>}, root
 * nftables tables {@code pcapunit_<pid>_…}, tracefs instances {@code pcapunit-<pid>-…}) and removes
 * those of dead processes.
 *
 * <p>Every name carries the pid of the JVM that created it, so a check can be scoped to one
 * process while other test JVMs run in parallel:
 * <pre>{@code
 * @AfterAll
 * static void nothingLeftBehind() {
 *     assertThat(Leftovers.ofThisProcess()).isEmpty();
 * }
 * }</pre>
 */
public final class Leftovers {

    /** Directory of slot lock files for root-namespace veths; a file holds the owner's pid. */
    static final Path SLOT_DIR = Path.of("/run/pcapunit-netlab");
    static final Path TRACEFS_INSTANCES = Path.of("/sys/kernel/tracing/instances");

    // names end in "-pidns<inode>" when made outside the initial PID namespace (see PidNamespaces)
    private static final Pattern NAMESPACE = Pattern.compile("pcapunit-(\\d{1,18})-\\S*?(?:-pidns(\\d+))?");
    private static final Pattern ROOT_VETH = Pattern.compile("pcu(\\d+)");
    private static final Pattern NFT_TABLE = Pattern.compile("table (\\S+) (pcapunit_(\\d{1,18})_\\S*?(?:_pidns(\\d+))?)");
    private static final Pattern INSTANCE = Pattern.compile("pcapunit-(\\d{1,18})-\\S*?(?:-pidns(\\d+))?");

    private Leftovers() {
    }

    /**
     * Lists every pcapunit item on the machine, whoever created it, one readable line each,
     * e.g. {@code "network namespace pcapunit-4242-1-db (pid 4242)"}.
     */
    public static List<String> all() {
        List<String> items = new ArrayList<>();
        for (Item item : scan()) {
            items.add(item.describe());
        }
        return items;
    }

    /** Lists the items created by this JVM that still exist. Empty after every lab is closed. */
    public static List<String> ofThisProcess() {
        return ofProcess(ProcessHandle.current().pid());
    }

    /** Lists the items whose name carries {@code pid}. */
    public static List<String> ofProcess(long pid) {
        List<String> items = new ArrayList<>();
        for (Item item : scan()) {
            if (item.pid().isPresent() && item.pid().getAsLong() == pid) {
                items.add(item.describe());
            }
        }
        return items;
    }

    /**
     * Removes every item whose creating process is gone (a JVM that was killed, a crashed run):
     * processes left inside such namespaces are killed first. Called by {@link NetLab#create()}.
     * An item is removed only when {@link PidNamespaces#isGone} can tell its creator is gone: never
     * one of another PID namespace whose processes this JVM cannot see, and never a {@code pcu}
     * veth without a slot file (whose creator is unknown: its slot file may be in another mount
     * namespace's /run); such a veth goes with the namespace at its other end.
     *
     * @return the items removed, one readable line each
     */
    public static List<String> removeStale() {
        List<String> removed = new ArrayList<>();
        for (Item item : scan()) {
            if (item.isStale()) {
                item.remove();
                removed.add(item.describe());
            }
        }
        cleanOrphanSlotFiles();
        return removed;
    }

    private static List<Item> scan() {
        List<Item> items = new ArrayList<>();
        for (String line : lines(Commands.exec(List.of("ip", "netns", "list"), null, Commands.DEFAULT_TIMEOUT))) {
            String name = line.split("\\s+")[0];
            Matcher m = NAMESPACE.matcher(name);
            if (m.matches()) {
                items.add(new Item(Kind.NAMESPACE, name, "", OptionalLong.of(Long.parseLong(m.group(1))), m.group(2)));
            }
        }
        for (String line : lines(Commands.exec(List.of("ip", "-o", "link", "show"), null, Commands.DEFAULT_TIMEOUT))) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length < 2) {
                continue;
            }
            String name = parts[1].split("@")[0];
            Matcher m = ROOT_VETH.matcher(name);
            if (m.matches()) {
                int slot = Integer.parseInt(m.group(1));
                items.add(new Item(Kind.ROOT_VETH, name, m.group(1), slotOwner(slot), slotPidNamespace(slot)));
            }
        }
        for (String line : lines(Commands.exec(List.of("nft", "list", "tables"), null, Commands.DEFAULT_TIMEOUT))) {
            Matcher m = NFT_TABLE.matcher(line.strip());
            if (m.matches()) {
                items.add(new Item(Kind.NFT_TABLE, m.group(2), m.group(1), OptionalLong.of(Long.parseLong(m.group(3))),
                        m.group(4)));
            }
        }
        if (Files.isDirectory(TRACEFS_INSTANCES)) {
            try (Stream<Path> dirs = Files.list(TRACEFS_INSTANCES)) {
                dirs.map(p -> p.getFileName().toString())
                        .map(INSTANCE::matcher)
                        .filter(Matcher::matches)
                        .forEach(m -> items.add(new Item(Kind.TRACEFS_INSTANCE, m.group(), "",
                                OptionalLong.of(Long.parseLong(m.group(1))), m.group(2))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + TRACEFS_INSTANCES, e);
            }
        }
        return items;
    }

    private static List<String> lines(ExecResult result) {
        return result.succeeded() ? result.stdout().lines().toList() : List.of();
    }

    /**
     * The pid written in a slot's lock file ({@code <pid>[ pidns<inode>]}); empty when there is no
     * such file or it is unreadable.
     */
    static OptionalLong slotOwner(int slot) {
        Path file = SLOT_DIR.resolve("slot-" + slot);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip().split("\\s+")[0];
            if (text.isEmpty()) {
                // Written right after creation; a brand-new empty file belongs to a live creator.
                FileTime modified = Files.getLastModifiedTime(file);
                boolean young = modified.toInstant().isAfter(Instant.now().minus(Duration.ofMinutes(1)));
                return young ? OptionalLong.of(ProcessHandle.current().pid()) : OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(text));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The PID namespace inode written in a slot's lock file; null when none (or no file). */
    static String slotPidNamespace(int slot) {
        try {
            Matcher m = Pattern.compile("\\d+ pidns(\\d+)")
                    .matcher(Files.readString(SLOT_DIR.resolve("slot-" + slot), StandardCharsets.US_ASCII).strip());
            return m.matches() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void cleanOrphanSlotFiles() {
        if (!Files.isDirectory(SLOT_DIR)) {
            return;
        }
        try (Stream<Path> files = Files.list(SLOT_DIR)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith("slot-")) {
                    continue;
                }
                int slot = Integer.parseInt(name.substring(5));
                OptionalLong owner = slotOwner(slot);
                if (owner.isPresent() && PidNamespaces.isGone(owner.getAsLong(), slotPidNamespace(slot))) {
                    // The veth went with its namespace; only the lock file remains.
                    Commands.exec(List.of("ip", "link", "del", "pcu" + name.substring(5)), null, Commands.DEFAULT_TIMEOUT);
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + SLOT_DIR, e);
        }
    }

    private enum Kind {
        NAMESPACE("network namespace"),
        ROOT_VETH("root-namespace veth"),
        NFT_TABLE("nftables table"),
        TRACEFS_INSTANCE("tracefs instance");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** {@code pidns}: the PID namespace inode the name (or slot file) carries; null when none. */
    private record Item(Kind kind, String name, String extra, OptionalLong pid, String pidns) {

        String describe() {
            String owner = pid.isPresent() ? "pid " + pid.getAsLong() : "no owner";
            String where = kind == Kind.NFT_TABLE ? " (family " + extra + ", " + owner + ")" : " (" + owner + ")";
            return kind.label + " " + name + where;
        }

        /** Its creator is known to be gone ({@link PidNamespaces#isGone}); an item of no known creator never is. */
        boolean isStale() {
            return pid.isPresent() && PidNamespaces.isGone(pid.getAsLong(), pidns);
        }

        void remove() {
            switch (kind) {
                case NAMESPACE -> removeNamespace(name);
                case ROOT_VETH -> {
                    Commands.exec(List.of("ip", "link", "del", name), null, Commands.DEFAULT_TIMEOUT);
                    try {
                        Files.deleteIfExists(SLOT_DIR.resolve("slot-" + extra));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot remove slot file for " + name, e);
                    }
                }
                case NFT_TABLE -> Commands.exec(List.of("nft", "delete", "table", extra, name), null, Commands.DEFAULT_TIMEOUT);
                case TRACEFS_INSTANCE -> removeTracefsInstance(TRACEFS_INSTANCES.resolve(name));
            }
        }
    }

    /** Kills whatever still runs inside the namespace (it would keep it alive), then deletes it. */
    static void removeNamespace(String name) {
        ExecResult pids = Commands.exec(List.of("ip", "netns", "pids", name), null, Commands.DEFAULT_TIMEOUT);
        for (String pid : lines(pids)) {
            ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
        Commands.exec(List.of("ip", "netns", "del", name), null, Commands.DEFAULT_TIMEOUT);
    }

    /** A tracefs instance is removed with rmdir once its events are off; the kernel does the rest. */
    static void removeTracefsInstance(Path dir) {
        try {
            Path tracingOn = dir.resolve("tracing_on");
            if (Files.exists(tracingOn)) {
                Files.writeString(tracingOn, "0");
            }
            Path enable = dir.resolve("events/enable");
            if (Files.exists(enable)) {
                Files.writeString(enable, "0");
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove tracefs instance " + dir + ": " + e.getMessage(), e);
        }
    }
}
