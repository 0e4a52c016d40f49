package io.github.pcapunit.testing;

import io.github.pcapunit.core.capture.internal.PidNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Docker for tests, with nothing pulled and nothing left behind: uses the engine on
 * {@code /var/run/docker.sock} when one answers, else starts {@code dockerd} itself (bridge
 * 10.200.250.1/24, no iptables, no masquerade, a pidfile) and stops it at {@link #close()}
 * (and from a shutdown hook on SIGTERM). Builds a local image {@code FROM scratch} with
 * Debian's static busybox; never pulls. Containers are named {@code pcapunit-<pid>-<lab>-<role>}
 * and removed at close; those of dead processes are removed when the next lab starts.
 *
 * <pre>{@code
 * try (DockerLab docker = DockerLab.start()) {
 *     DockerLab.Container db = docker.run("db", "nc", "-ll", "-p", "5432", "-e", "/bin/cat");
 *     db.address();   // 10.200.250.2, reachable from the JVM over the docker0 bridge
 * }
 * }</pre>
 */
public final class DockerLab implements AutoCloseable {

    /** The local image every container runs: busybox on an empty root. */
    public static final String IMAGE = "pcapunit-busybox:local";
    static final Path SOCKET = Path.of("/var/run/docker.sock");
    static final Path PIDFILE = Path.of("/run/pcapunit-dockerd.pid");
    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    private static final AtomicInteger LAB_SEQ = new AtomicInteger();

    private final long pid = ProcessHandle.current().pid();
    private final int labId = LAB_SEQ.incrementAndGet();
    private final List<Container> containers = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "pcapunit-dockerlab-cleanup");
    private Process daemon;
    private boolean bridgeExisted;
    private boolean closed;

    /** One running container. */
    public record Container(String name, String id, long pid, String address) {

        /** The nsfs path of its network namespace, {@code /proc/<pid>/ns/net}. */
        public Path netns() {
            return Path.of("/proc", Long.toString(pid), "ns", "net");
        }
    }

    private DockerLab() {
    }

    /** Why Docker cannot run here, or empty. */
    public static Optional<String> unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not root: starting dockerd and joining containers needs root");
        }
        if (!onPath("docker") || !onPath("dockerd") && !answers()) {
            return Optional.of("docker/dockerd not installed: scripts/install-deps.sh installs docker.io");
        }
        if (!Files.isExecutable(BUSYBOX)) {
            return Optional.of("/usr/bin/busybox missing: scripts/install-deps.sh installs busybox-static");
        }
        return Optional.empty();
    }

    /** Skips the calling test unless Docker can run. */
    public static void assumeAvailable() {
        Optional<String> reason = unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "Docker lab unavailable: " + reason.orElse(""));
    }

    /** An engine (the running one, or one started now) with {@link #IMAGE} built. */
    public static DockerLab start() {
        DockerLab lab = new DockerLab();
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.ensureEngine();
            removeStaleContainers();
            if (!Commands.exec(List.of("docker", "image", "inspect", IMAGE), null, Commands.DEFAULT_TIMEOUT)
                    .succeeded()) {
                buildImage();
            }
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Whether this lab started the engine (and so stops it at close). */
    public boolean startedEngine() {
        return daemon != null;
    }

    /**
     * Runs {@code command} in a new container of {@link #IMAGE} named
     * {@code pcapunit-<pid>-<lab>-<role>}; returns once it runs.
     */
    public synchronized Container run(String role, String... command) {
        return run(role, List.of(), command);
    }

    /** As {@link #run(String, String...)}, with {@code docker run} options, e.g. {@code ["--network", "none"]}. */
    public synchronized Container run(String role, List<String> dockerOptions, String... command) {
        String name = "pcapunit-" + pid + "-" + labId + "-" + role + PidNamespaces.suffix("-");
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name));
        cmd.addAll(dockerOptions);
        cmd.add(IMAGE);
        cmd.addAll(List.of(command));
        Commands.run(cmd, null);
        String[] f = Commands.run("docker", "inspect", "-f",
                "{{.Id}} {{.State.Pid}} {{.NetworkSettings.IPAddress}}", name).stdout().strip().split(" ");
        Container c = new Container(name, f[0], Long.parseLong(f[1]), f.length > 2 ? f[2] : "");
        containers.add(c);
        return c;
    }

    /** Runs a command inside a running container, e.g. {@code exec(db, "nft", ...)}. */
    public ExecResult exec(Container c, String... command) {
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", c.name()));
        cmd.addAll(List.of(command));
        return Commands.exec(cmd, null, Commands.DEFAULT_TIMEOUT);
    }

    /** Runs a command in the container's network namespace with the host's tools (nft, ip). */
    public ExecResult inNetns(Container c, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + c.netns()));
        cmd.addAll(List.of(command));
        return Commands.exec(cmd, null, Commands.DEFAULT_TIMEOUT);
    }

    /** Names of the containers of this process that exist now (for leftover checks). */
    public static List<String> containersOfThisProcess() {
        ExecResult r = Commands.exec(List.of("docker", "ps", "-a", "--format", "{{.Names}}"), null,
                Commands.DEFAULT_TIMEOUT);
        String prefix = "pcapunit-" + ProcessHandle.current().pid() + "-";
        return r.stdout().lines().filter(n -> n.startsWith(prefix)).toList();
    }

    /** Removes this lab's containers, and stops the engine if this lab started it. */
    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs this
        }
    }

    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        for (Container c : containers) {
            Commands.exec(List.of("docker", "rm", "-f", "-v", c.name()), null, Commands.DEFAULT_TIMEOUT);
        }
        if (daemon != null) {
            daemon.destroy(); // SIGTERM: dockerd stops its containerd and removes its socket and pidfile
            try {
                if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                    daemon.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!bridgeExisted) {
                Commands.exec(List.of("ip", "link", "del", "docker0"), null, Commands.DEFAULT_TIMEOUT);
            }
        }
    }

    private void ensureEngine() {
        if (answers()) {
            return;
        }
        bridgeExisted = Files.exists(Path.of("/sys/class/net/docker0"));
        try {
            Path log = Files.createTempFile("pcapunit-dockerd-", ".log");
            daemon = new ProcessBuilder("dockerd", "--bip", "10.200.250.1/24", "--iptables=false",
                    "--ip-masq=false", "--pidfile", PIDFILE.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!answers()) {
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("dockerd did not start (exit " + (daemon.isAlive() ? "-" : daemon.exitValue())
                            + "): " + tail(log));
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dockerd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting dockerd", e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    /** Whether an engine answers {@code GET /_ping} on the socket. */
    static boolean answers() {
        if (!Files.exists(SOCKET)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(SOCKET));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(512);
            ch.read(buf);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).contains(" 200 ");
        } catch (IOException e) {
            return false;
        }
    }

    private static void buildImage() {
        try {
            Path dir = Files.createTempDirectory("pcapunit-image-");
            try {
                Files.copy(BUSYBOX, dir.resolve("busybox"));
                Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n"
                        + "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nCMD [\"/bin/sh\"]\n");
                ExecResult r = Commands.exec(List.of("docker", "build", "-q", "-t", IMAGE, dir.toString()), null,
                        Duration.ofMinutes(3));
                if (!r.succeeded()) {
                    throw new IllegalStateException(r.describeFailure());
                }
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + IMAGE, e);
        }
    }

    /**
     * Removes containers named after processes that no longer run, as far as
     * {@link PidNamespaces#isGone} can tell: never one of a live process, whatever PID namespace
     * its name is for.
     */
    private static void removeStaleContainers() {
        ExecResult r = Commands.exec(List.of("docker", "ps", "-a", "--format", "{{.Names}}"), null,
                Commands.DEFAULT_TIMEOUT);
        for (String name : r.stdout().lines().toList()) {
            var m = java.util.regex.Pattern.compile("pcapunit-(\\d+)-.*?(?:-pidns(\\d+))?").matcher(name);
            if (m.matches() && m.group(1).length() < 19 && PidNamespaces.isGone(Long.parseLong(m.group(1)), m.group(2))) {
                Commands.exec(List.of("docker", "rm", "-f", "-v", name), null, Commands.DEFAULT_TIMEOUT);
            }
        }
    }

    private static boolean onPath(String command) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
