package io.github.pcapunit.core.capture.internal.docker;

import io.github.pcapunit.core.CaptureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal Docker Engine API client over the engine's unix socket ({@code DOCKER_HOST=unix://...},
 * else {@code /var/run/docker.sock}): HTTP/1.0 GET requests, the few JSON fields capture points
 * need read by pattern.
 *
 * <pre>{@code
 * DockerEngine docker = DockerEngine.local();
 * DockerContainer db = docker.inspect("db");   // id, name, pid
 * docker.runningNames();                      // ["db", "cache"]
 * }</pre>
 */
public final class DockerEngine {

    /** The socket used when {@code DOCKER_HOST} names none. */
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    private static final Pattern NAME = Pattern.compile("\"Name\"\\s*:\\s*\"/?([^\"]*)\"");
    private static final Pattern NAMES = Pattern.compile("\"Names\"\\s*:\\s*\\[\\s*\"/?([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]{12,64})\"");
    private static final Pattern PID = Pattern.compile("\"Pid\"\\s*:\\s*(\\d+)");
    private static final Pattern RUNNING = Pattern.compile("\"Running\"\\s*:\\s*(true|false)");
    private static final Pattern NETWORK_MODE = Pattern.compile("\"NetworkMode\"\\s*:\\s*\"([^\"]*)\"");

    private final Path socket;

    private DockerEngine(Path socket) {
        this.socket = socket;
    }

    /** The engine of {@code DOCKER_HOST} (a {@code unix://} address) or of {@link #DEFAULT_SOCKET}. */
    public static DockerEngine local() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && host.startsWith("unix://")) {
            return new DockerEngine(Path.of(host.substring("unix://".length())));
        }
        if (host != null && !host.isBlank()) {
            throw new CaptureException("DOCKER_HOST=" + host + " is not a unix socket: pcapunit joins a container's"
                    + " network namespace on this machine, so it needs the local engine's socket, e.g."
                    + " DOCKER_HOST=unix:///var/run/docker.sock");
        }
        return new DockerEngine(DEFAULT_SOCKET);
    }

    /** The engine listening on {@code socket}. */
    public static DockerEngine at(Path socket) {
        return new DockerEngine(socket);
    }

    /** The socket this client talks to. */
    public Path socket() {
        return socket;
    }

    /**
     * The container with this id, id prefix or name, or empty when the engine knows none.
     *
     * @throws CaptureException when the engine is not reachable (naming the socket) or answers an error
     */
    public Optional<DockerContainer> inspect(String idOrName) {
        Response r = get("/containers/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8) + "/json");
        if (r.status == 404) {
            return Optional.empty();
        }
        r.requireOk("inspect container " + idOrName);
        String id = first(ID, r.body).orElse(idOrName);
        String name = first(NAME, r.body).orElse(idOrName);
        long pid = first(PID, r.body).map(Long::parseLong).orElse(0L);
        boolean running = first(RUNNING, r.body).map(Boolean::parseBoolean).orElse(pid > 0);
        return Optional.of(new DockerContainer(id, name, pid, running, first(NETWORK_MODE, r.body).orElse("")));
    }

    /** Names of the running containers, for messages listing what exists. */
    public List<String> runningNames() {
        Response r = get("/containers/json");
        r.requireOk("list containers");
        List<String> names = new ArrayList<>();
        Matcher m = NAMES.matcher(r.body);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Whether the engine runs rootless (its {@code /info} lists {@code name=rootless}). */
    public boolean isRootless() {
        Response r = get("/info");
        r.requireOk("read engine info");
        return r.body.contains("name=rootless");
    }

    private Response get(String path) {
        if (!Files.exists(socket)) {
            throw unreachable("no such socket", null);
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16384);
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            return Response.parse(out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e.getMessage(), e);
        }
    }

    private CaptureException unreachable(String reason, Throwable cause) {
        return new CaptureException("Docker is not reachable at " + socket + " (" + reason + "): start the Docker"
                + " engine (dockerd), or set DOCKER_HOST=unix:///path/to/docker.sock to its socket", cause);
    }

    private static Optional<String> first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** One HTTP response. */
    private record Response(int status, String body) {

        static Response parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            String head = end < 0 ? raw : raw.substring(0, end);
            String[] first = head.split("\r\n", 2)[0].split(" ");
            int status = first.length > 1 ? Integer.parseInt(first[1]) : 0;
            return new Response(status, end < 0 ? "" : raw.substring(end + 4));
        }

        void requireOk(String what) {
            if (status < 200 || status > 299) {
                throw new CaptureException("Docker could not " + what + ": HTTP " + status + " "
                        + body.strip());
            }
        }
    }
}
