package io.github.pcapunit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own failsafe execution, in a new JVM after the scenarios' JVM ended: the scenarios left no namespace, veth, nft table or
 * tracing instance behind (nor a {@code pcapunit-*} container, a dockerd our fixtures started, the
 * docker0 bridge such a dockerd made, an nft table in any namespace, a {@code pcapunit} thread in
 * a process of this module), and every pcapng they produced ({@link CapturePointsIT}'s with
 * interfaces of two namespaces among them) passes {@code tshark -r} and {@code capinfos} and reads
 * back with pcapunit's own reader to the same frame count.
 */
class LeftoversAndFilesIT {

    @Test
    void scenarios_leaveNoNamespaceTableOrTracingInstance() {
        NetLab.assumeAvailable();
        assertThat(Leftovers.ofThisProcess()).as("left behind by this JVM").isEmpty();
        assertThat(Leftovers.all()).as("pcapunit resources of any process").isEmpty();
    }

    /** The pidfiles of the dockerd our fixtures start: DockerLab's and the maven-plugin containers IT's. */
    static final List<Path> FIXTURE_PIDFILES = List.of(Path.of("/run/pcapunit-dockerd.pid"),
            Path.of("/run/pcapunit-it-dockerd.pid"));

    /** The bridge address our fixtures give dockerd ({@code --bip}). */
    static final String FIXTURE_BRIDGE = "10.200.250.1/24";

    @Test
    void scenarios_leaveNoPcapunitNamespaceEvenWithAFixedName() {
        NetLab.assumeAvailable();
        Shell.Result netns = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list");
        assertThat(netns.exitCode()).as(netns.output()).isZero();
        assertThat(netns.output().lines().map(l -> l.split("\\s+")[0]))
                .as("ip netns list").noneMatch(n -> n.startsWith("pcapunit-"));
    }

    @Test
    void scenarios_leaveNoContainerNoFixtureDockerdAndNoDockerBridgeOfOne() throws IOException {
        NetLab.assumeAvailable();
        Map<Long, String> dockerds = processes("dockerd");
        for (Path pidfile : FIXTURE_PIDFILES) {
            if (Files.exists(pidfile)) {
                long pid = Long.parseLong(Files.readString(pidfile, StandardCharsets.US_ASCII).strip());
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("dockerd of %s (pid %s) still runs", pidfile, pid).isFalse();
            }
        }
        assertThat(dockerds.values()).as("dockerd processes with a fixture's pidfile")
                .noneMatch(cmd -> FIXTURE_PIDFILES.stream().anyMatch(f -> cmd.contains(f.toString())));
        if (!dockerds.isEmpty()) {
            Shell.Result ps = Shell.run(Duration.ofSeconds(30), "docker", "ps", "-a", "--format", "{{.Names}}");
            assertThat(ps.exitCode()).as("docker ps -a: %s", ps.output()).isZero();
            assertThat(ps.output().lines()).as("containers").noneMatch(n -> n.startsWith("pcapunit-"));
        } else {
            // No engine runs, so no container does; a bridge with the fixtures' address was theirs to remove.
            Shell.Result bridge = Shell.run(Duration.ofSeconds(10), "ip", "-o", "addr", "show", "dev", "docker0");
            assertThat(bridge.exitCode() == 0 && bridge.output().contains(FIXTURE_BRIDGE))
                    .as("docker0 with %s but no dockerd: %s", FIXTURE_BRIDGE, bridge.output()).isFalse();
        }
    }

    @Test
    void scenarios_leaveNoPcapunitNftTableInAnyNamespace() throws IOException {
        NetLab.assumeAvailable();
        List<String> tables = new ArrayList<>();
        for (Map.Entry<String, Path> ns : networkNamespaces().entrySet()) {
            Shell.Result r = Shell.run(Duration.ofSeconds(10), "nsenter", "--net=" + ns.getValue(), "nft", "list", "tables");
            r.output().lines().filter(l -> l.contains("pcapunit")).forEach(l -> tables.add(ns.getKey() + ": " + l.strip()));
        }
        assertThat(tables).as("nft tables named pcapunit, by namespace").isEmpty();
    }

    @Test
    void noProcessOfThisModule_hasAPcapunitThreadLeft() throws IOException {
        NetLab.assumeAvailable();
        // Java threads carry their name (first 15 characters) in /proc: a capture, netns or
        // writer thread of pcapunit shows as "pcapunit-…". Scenario JVMs and the children they
        // start run in this module's directory; what still runs there now was left behind.
        Path here = Path.of("").toAbsolutePath();
        List<String> threads = new ArrayList<>();
        for (long pid : pids()) {
            Optional<Path> cwd = read(() -> Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
            if (cwd.isEmpty() || !cwd.get().equals(here)) {
                continue;
            }
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    read(() -> Files.readString(task.resolve("comm")).strip()).filter(n -> n.startsWith("pcapunit"))
                            .ifPresent(n -> threads.add("pid " + pid + ": " + n));
                }
            } catch (IOException e) {
                // the process ended while listed
            }
        }
        assertThat(threads).as("pcapunit threads in processes running in %s", here).isEmpty();
    }

    /** Every network namespace: named ones ({@code /run/netns}) and those of running processes, once per inode. */
    private static Map<String, Path> networkNamespaces() throws IOException {
        Map<String, Path> byInode = new LinkedHashMap<>();
        Path named = Path.of("/run/netns");
        if (Files.isDirectory(named)) {
            try (Stream<Path> files = Files.list(named)) {
                for (Path f : files.toList()) {
                    read(() -> Files.getAttribute(f, "unix:ino").toString())
                            .ifPresent(ino -> byInode.putIfAbsent("net:[" + ino + "]", f));
                }
            }
        }
        for (long pid : pids()) {
            Path ns = Path.of("/proc", Long.toString(pid), "ns", "net");
            read(() -> Files.readSymbolicLink(ns).toString()).ifPresent(id -> byInode.putIfAbsent(id, ns));
        }
        return byInode;
    }

    /** Running processes whose command name is {@code comm}, with their command lines. */
    private static Map<Long, String> processes(String comm) throws IOException {
        Map<Long, String> found = new LinkedHashMap<>();
        for (long pid : pids()) {
            Path dir = Path.of("/proc", Long.toString(pid));
            if (read(() -> Files.readString(dir.resolve("comm")).strip()).filter(comm::equals).isPresent()) {
                read(() -> Files.readString(dir.resolve("cmdline")).replace('\0', ' ')).ifPresent(c -> found.put(pid, c));
            }
        }
        return found;
    }

    private static List<Long> pids() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::valueOf).toList();
        }
    }

    /** What {@code read} gives, or empty when the process or file went away meanwhile. */
    private static <T> Optional<T> read(IoSupplier<T> read) {
        try {
            return Optional.ofNullable(read.get());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    @Test
    void everyPcapngOfTheScenarios_isReadByTsharkCapinfosAndOurReader() throws IOException {
        NetLab.assumeAvailable();
        Path root = Path.of("target", "pcapunit");
        List<Path> files;
        try (Stream<Path> walk = Files.exists(root) ? Files.walk(root) : Stream.empty()) {
            files = walk.filter(p -> p.toString().endsWith(".pcapng")).sorted().collect(Collectors.toList());
        }
        assertThat(files).as("pcapng files kept by the scenarios under %s", root.toAbsolutePath()).isNotEmpty();
        List<Path> atPoints = new ArrayList<>();
        for (Path file : files) {
            long tsharkFrames = Referee.assertReadable(file);
            CapturedTraffic traffic = CapturedTraffic.read(file);
            assertThat(traffic.packetCount() + traffic.journal().size())
                    .as("frames of %s: packets + journal entries vs tshark", file)
                    .isEqualTo(tsharkFrames);
            if (traffic.packets().anyMatch(p -> p.interfaceName().orElse("").startsWith("client/"))
                    && traffic.packets().anyMatch(p -> p.interfaceName().orElse("").startsWith("server/"))) {
                atPoints.add(file);
            }
        }
        assertThat(atPoints).as("files of CapturePointsIT (packets at its client/ and server/ points) among %s", files)
                .isNotEmpty();
    }
}
