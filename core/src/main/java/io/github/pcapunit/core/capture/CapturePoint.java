package io.github.pcapunit.core.capture;

import io.github.pcapunit.core.InvalidCaptureSpecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A place to capture at: a network namespace other than the JVM's, given as an {@code ip netns}
 * name, as an nsfs path such as {@code /proc/4242/ns/net}, or as a Docker container (id or name),
 * with the interfaces to capture there (none named: all of that namespace, through its
 * {@code any} pseudo-interface). In the capture file each interface of a point is named
 * {@code <label>/<interface>} (e.g. {@code db/eth0}) and its description names the namespace or
 * container. Immutable.
 *
 * <pre>{@code
 * CaptureSpec spec = CaptureSpec.builder()
 *         .point(CapturePoint.namespace("app"))                       // all of app's interfaces
 *         .point(CapturePoint.container("db").interfaces("eth0"))     // eth0 inside container db
 *         .build();
 * }</pre>
 *
 * <p>The text form {@link #parse(Kind, String...)} reads what annotations and Maven parameters say:
 * {@code "db"} (all interfaces), {@code "db/eth0"} (one interface, as the file names it), or an
 * absolute nsfs path for {@link Kind#NAMESPACE}.
 */
public final class CapturePoint {

    /** How the point's network namespace is found. */
    public enum Kind {
        /** A named namespace ({@code ip netns}, {@code /run/netns/<name>}) or an nsfs path. */
        NAMESPACE,
        /** A Docker container, by id or name, resolved to its process's namespace at start. */
        CONTAINER
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    private final Kind kind;
    private final String target;
    private final List<String> interfaces;
    private final String label;

    private CapturePoint(Kind kind, String target, List<String> interfaces, String label) {
        this.kind = kind;
        this.target = target;
        this.interfaces = List.copyOf(interfaces);
        this.label = label;
    }

    /**
     * A named network namespace ({@code ip netns add db}), or an nsfs path when {@code name}
     * starts with {@code /} (e.g. {@code /proc/4242/ns/net}, {@code /run/netns/db}).
     *
     * @throws InvalidCaptureSpecException when {@code name} is neither
     */
    public static CapturePoint namespace(String name) {
        String n = checkTarget("namespaces", name, "a name 'ip netns list' shows, e.g. \"db\", or an nsfs"
                + " path such as \"/proc/4242/ns/net\"", true);
        return new CapturePoint(Kind.NAMESPACE, n, List.of(), null);
    }

    /** The network namespace of an nsfs file, e.g. {@code Path.of("/proc/4242/ns/net")}. */
    public static CapturePoint namespace(Path nsfs) {
        return namespace(Objects.requireNonNull(nsfs, "nsfs").toAbsolutePath().toString());
    }

    /**
     * The network namespace of a running Docker container, by id (or id prefix) or name; it is
     * resolved through the Docker Engine API when the capture starts.
     *
     * @throws InvalidCaptureSpecException when {@code idOrName} cannot be a container name
     */
    public static CapturePoint container(String idOrName) {
        String n = checkTarget("containers", idOrName, "a container id or name 'docker ps' shows, e.g. \"db\"",
                false);
        return new CapturePoint(Kind.CONTAINER, n, List.of(), null);
    }

    /**
     * Points from their text forms, as {@code @CaptureTraffic(namespaces = ...)} and Maven's
     * {@code <namespaces>} give them: {@code "db"} captures all of db, {@code "db/eth0"} and
     * {@code "db/lo"} capture those two interfaces of the same point.
     *
     * <pre>{@code
     * CapturePoint.parse(Kind.NAMESPACE, "app", "db/eth0");   // [app (all), db (eth0)]
     * }</pre>
     *
     * @throws InvalidCaptureSpecException naming the bad entry
     */
    public static List<CapturePoint> parse(Kind kind, String... texts) {
        Objects.requireNonNull(kind, "kind");
        String option = kind == Kind.NAMESPACE ? "namespaces" : "containers";
        Map<String, List<String>> byTarget = new LinkedHashMap<>();
        java.util.Set<String> whole = new java.util.HashSet<>();
        for (String text : texts) {
            if (text == null || text.isBlank()) {
                throw new InvalidCaptureSpecException(option, String.valueOf(text), option + " contains an empty"
                        + " entry: give " + (kind == Kind.NAMESPACE ? "namespace names such as \"db\" or \"db/eth0\""
                                : "container names such as \"db\" or \"db/eth0\""));
            }
            String t = text.strip();
            String target = t;
            String iface = null;
            if (!t.startsWith("/")) {
                int slash = t.indexOf('/');
                if (slash > 0) {
                    target = t.substring(0, slash);
                    iface = t.substring(slash + 1);
                }
            }
            List<String> ifs = byTarget.computeIfAbsent(target, k -> new ArrayList<>());
            if (iface == null) {
                whole.add(target);
            } else if (!ifs.contains(iface)) {
                ifs.add(iface);
            }
        }
        List<CapturePoint> points = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byTarget.entrySet()) {
            CapturePoint p = kind == Kind.NAMESPACE ? namespace(e.getKey()) : container(e.getKey());
            // "db" next to "db/eth0" means all of db
            points.add(e.getValue().isEmpty() || whole.contains(e.getKey()) ? p : p.interfaces(e.getValue()));
        }
        return points;
    }

    /** This point capturing only these interfaces of its namespace, e.g. {@code "eth0", "lo"}. */
    public CapturePoint interfaces(String... names) {
        return interfaces(List.of(names));
    }

    /** This point capturing only these interfaces; an empty list means all ({@code any}). */
    public CapturePoint interfaces(List<String> names) {
        for (String n : names) {
            if (n == null || !INTERFACE.matcher(n).matches()) {
                throw new InvalidCaptureSpecException(option(), target + "/" + n, "interface \"" + n + "\" of "
                        + describe() + " is not an interface name: use names such as \"eth0\" or \"lo\"");
            }
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new InvalidCaptureSpecException(option(), target + names, "interfaces " + names + " of "
                    + describe() + " name an interface twice: list each once");
        }
        return new CapturePoint(kind, target, names, label);
    }

    /**
     * This point with the label the capture file uses for it ({@code <label>/<interface>});
     * default: the namespace's or container's name ({@code ns<inode>} for an nsfs path).
     */
    public CapturePoint named(String newLabel) {
        if (newLabel == null || !NAME.matcher(newLabel).matches()) {
            throw new InvalidCaptureSpecException(option(), String.valueOf(newLabel), "label \"" + newLabel
                    + "\" of " + describe() + " must be letters, digits, '_', '.', '-', e.g. \"db\"");
        }
        return new CapturePoint(kind, target, interfaces, newLabel);
    }

    /** How the namespace is found. */
    public Kind kind() {
        return kind;
    }

    /** The namespace name or nsfs path ({@link Kind#NAMESPACE}), or container id or name. */
    public String target() {
        return target;
    }

    /** Interfaces to capture, as given; empty means all of the point's namespace. */
    public List<String> interfaces() {
        return interfaces;
    }

    /** Interfaces a capture opens: {@link #interfaces()}, or {@code [any]} when none were named. */
    public List<String> effectiveInterfaces() {
        return interfaces.isEmpty() ? List.of(CaptureSpec.ANY_INTERFACE) : interfaces;
    }

    /** The label set by {@link #named(String)}; empty means the default. */
    public Optional<String> label() {
        return Optional.ofNullable(label);
    }

    /** E.g. {@code network namespace "db"} or {@code container "db"}. */
    public String describe() {
        if (kind == Kind.CONTAINER) {
            return "container \"" + target + "\"";
        }
        return target.startsWith("/") ? "network namespace " + target : "network namespace \"" + target + "\"";
    }

    private String option() {
        return kind == Kind.NAMESPACE ? "namespaces" : "containers";
    }

    private static String checkTarget(String option, String value, String fix, boolean pathAllowed) {
        if (value != null && pathAllowed && value.startsWith("/") && value.length() > 1 && !value.contains("\0")) {
            return value;
        }
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidCaptureSpecException(option, String.valueOf(value), option + " entry \"" + value
                    + "\" is not a " + (pathAllowed ? "network namespace" : "container") + ": give " + fix);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturePoint && ((CapturePoint) o).kind == kind && ((CapturePoint) o).target.equals(target)
                && ((CapturePoint) o).interfaces.equals(interfaces) && Objects.equals(((CapturePoint) o).label, label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, target, interfaces, label);
    }

    /** E.g. {@code container "db" [eth0]}. */
    @Override
    public String toString() {
        return describe() + (interfaces.isEmpty() ? "" : " " + interfaces) + (label == null ? "" : " as " + label);
    }
}
