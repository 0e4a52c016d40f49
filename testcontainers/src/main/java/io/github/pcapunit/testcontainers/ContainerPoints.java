package io.github.pcapunit.testcontainers;

import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureSpec;
import java.util.Objects;
import org.testcontainers.containers.Container;

/**
 * Testcontainers containers as pcapunit capture points: the capture runs inside the container's
 * network namespace (all of its interfaces unless named), so it sees exactly the container's
 * traffic, and the file names each interface {@code <container name>/<interface>}.
 *
 * <pre>{@code
 * @Container
 * static GenericContainer<?> db = new GenericContainer<>("postgres:16").withExposedPorts(5432);
 *
 * CaptureSpec spec = CaptureSpec.builder().point(ContainerPoints.of(db)).filter("tcp port 5432").build();
 * // or, with the JUnit extension:
 * @RegisterExtension
 * static CaptureTrafficExtension capture = CaptureTrafficExtension.builder()
 *         .spec(s -> ContainerPoints.in(s, db)).build();
 * }</pre>
 *
 * <p>The container must run when the capture starts (Testcontainers' {@code @Container} fields
 * are started before each test's capture). Capturing inside a container needs root (or
 * {@code CAP_SYS_ADMIN} besides the capture capabilities) and the local Docker engine.
 */
public final class ContainerPoints {

    private ContainerPoints() {
    }

    /**
     * The capture point of a running container, labelled with its Docker name (e.g.
     * {@code db} for {@code withCreateContainerCmdModifier(c -> c.withName("db"))}).
     *
     * @throws InvalidCaptureSpecException when the container has not been started
     */
    public static CapturePoint of(Container<?> container) {
        Objects.requireNonNull(container, "container");
        String id = idOf(container);
        CapturePoint point = CapturePoint.container(id);
        String name = container.getContainerName();
        if (name != null && !name.isBlank()) {
            point = point.named(name.startsWith("/") ? name.substring(1) : name);
        }
        return point;
    }

    /** As {@link #of(Container)}, labelled {@code label} in the capture file (e.g. {@code "db"}). */
    public static CapturePoint of(Container<?> container, String label) {
        return CapturePoint.container(idOf(Objects.requireNonNull(container, "container"))).named(label);
    }

    /** Adds every container as a capture point to {@code spec}; returns {@code spec}. */
    public static CaptureSpec.Builder in(CaptureSpec.Builder spec, Container<?>... containers) {
        for (Container<?> c : containers) {
            spec.point(of(c));
        }
        return spec;
    }

    /**
     * Adds, as capture points, the running containers held in the static fields of
     * {@code testClass} and its superclasses (Testcontainers' {@code @Container static} fields),
     * in declaration order; returns {@code spec}. Fields holding no container, or one not
     * running, are skipped.
     *
     * <pre>{@code
     * @RegisterExtension
     * static CaptureTrafficExtension capture = CaptureTrafficExtension.builder()
     *         .spec(s -> ContainerPoints.inFields(s, OrderServiceIT.class)).build();
     * }</pre>
     */
    public static CaptureSpec.Builder inFields(CaptureSpec.Builder spec, Class<?> testClass) {
        java.util.List<Class<?>> hierarchy = new java.util.ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        for (Class<?> c : hierarchy) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) || !Container.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Object value = f.get(null);
                    if (value instanceof Container<?> container && container.isRunning()) {
                        spec.point(of(container));
                    }
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalStateException("cannot read container field " + c.getName() + "." + f.getName()
                            + ": " + e.getMessage(), e);
                }
            }
        }
        return spec;
    }

    private static String idOf(Container<?> container) {
        String id = container.getContainerId();
        if (id == null || !container.isRunning()) {
            throw new InvalidCaptureSpecException("containers", String.valueOf(container.getDockerImageName()),
                    "container of image " + container.getDockerImageName() + " is not running: start it before the"
                            + " capture (a Testcontainers @Container field, or container.start())");
        }
        return id;
    }
}
