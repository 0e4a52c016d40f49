package io.github.pcapunit.core.capture.internal.docker;

/**
 * What the Docker Engine says about one container: its id, name (without Docker's leading
 * {@code /}), main process id on this host (0 when not running) and whether the engine is
 * rootless.
 *
 * <pre>{@code
 * DockerContainer db = DockerEngine.local().inspect("db");
 * Path netns = Path.of("/proc", Long.toString(db.pid()), "ns", "net");
 * }</pre>
 */
public record DockerContainer(String id, String name, long pid, boolean running, String networkMode) {

    /** The first twelve characters of the id, as {@code docker ps} shows it. */
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
