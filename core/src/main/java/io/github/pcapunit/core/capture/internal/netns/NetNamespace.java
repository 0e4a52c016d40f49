package io.github.pcapunit.core.capture.internal.netns;

import io.github.pcapunit.core.capture.CapturePoint;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A capture point resolved to the nsfs file of its network namespace, with the label and
 * description the capture file gives its interfaces.
 *
 * <pre>{@code
 * NetNamespace db = Namespaces.resolve(CapturePoint.namespace("db"));
 * db.interfaceName("eth0");   // "db/eth0"
 * }</pre>
 */
public final class NetNamespace {

    private final CapturePoint point;
    private final Path nsfs;
    private final String label;
    private final String description;

    NetNamespace(CapturePoint point, Path nsfs, String label, String description) {
        this.point = Objects.requireNonNull(point, "point");
        this.nsfs = Objects.requireNonNull(nsfs, "nsfs");
        this.label = Objects.requireNonNull(label, "label");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The point as the spec gave it. */
    public CapturePoint point() {
        return point;
    }

    /** The nsfs file a thread opens to join, e.g. {@code /run/netns/db} or {@code /proc/4242/ns/net}. */
    public Path nsfs() {
        return nsfs;
    }

    /** Short name, e.g. {@code db}: the prefix of the point's interface names in the file. */
    public String label() {
        return label;
    }

    /**
     * The interface description written to the file, e.g.
     * {@code eth0 in Docker container db (id 3f2a9c1b7d0e, pid 4242)}.
     */
    public String describe(String iface) {
        return iface + " in " + description;
    }

    /** What the file names {@code iface} of this point, e.g. {@code db/eth0}. */
    public String interfaceName(String iface) {
        return label + "/" + iface;
    }

    /** E.g. {@code network namespace db (/run/netns/db)}. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
