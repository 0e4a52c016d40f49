package io.github.pcapunit.junit;

import io.github.pcapunit.core.capture.KernelEvidence;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Captures the packets of each test into a pcapng file, kept when the test fails.
 *
 * <pre>{@code
 * @CaptureTraffic(filter = "tcp port 1433")
 * class OrderRepositoryTest {
 *     @Test
 *     void savesOrder(CapturedTraffic traffic) {
 *         repository.save(order);
 *         assertThat(traffic).hasNoDroppedPacketsTo(1433);
 *     }
 * }
 * }</pre>
 *
 * <p>On a test method it captures that test; on a test class (and its {@code @Nested} classes
 * and subclasses) every test gets its own file; on an annotation type it makes a meta-annotation
 * of your own. The closest declaration wins: method, then class, then enclosing class.
 *
 * <p>Files go to {@code <outputDirectory>/<TestClass>/<method>[<invocation>].pcapng}, e.g.
 * {@code target/pcapunit/com.example.OrderRepositoryTest/savesOrder.pcapng} or
 * {@code .../retries[2].pcapng} for the second invocation of a parameterized, repeated or dynamic
 * test. The section comment names the test and its outcome; journal entries mark where the test
 * started and ended.
 *
 * <p>A test may declare a parameter of type {@code CapturedTraffic} (or
 * {@link TestCapture}): asserting on it waits until the packets sent so far have been captured
 * and analyses them.
 *
 * <p>Concurrent tests (JUnit parallel execution) each get their own file. All tests share one
 * capture per interface set and filter, cut by time: a file holds every packet matching its
 * filter seen while its test ran, so tests running at the same moment see each other's matching
 * traffic. Narrow the {@link #filter()} (e.g. to the test's own port) when that matters.
 *
 * <p>Configuration parameters ({@code junit-platform.properties} or {@code -D}) replace the
 * defaults of the attributes left at their defaults; see {@link CaptureTrafficExtension} for
 * the list.
 *
 * <p>Misconfiguration (bad filter, unknown interface, negative snaplen or buffer size, unwritable
 * output directory, annotation on a method that is not a test) fails with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} that names the
 * attribute, the value and the fix, before any capture starts.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(CaptureTrafficAnnotationExtension.class)
public @interface CaptureTraffic {

    /**
     * Capture filter in tcpdump (BPF) syntax, e.g. {@code "tcp port 1433"}; empty (the default)
     * captures everything.
     */
    String filter() default "";

    /**
     * Interfaces to capture on, e.g. {@code {"lo"}} or {@code {"veth-a", "veth-b"}}; empty (the
     * default) means the capture engine's default, which includes loopback.
     */
    String[] interfaces() default {};

    /**
     * Bytes kept of each packet; {@code 0} (the default) means the capture engine's default
     * (whole packets). Negative values are refused.
     */
    int snaplen() default 0;

    /**
     * Bytes of the kernel's capture buffer per interface, e.g. {@code bufferSize = 128 << 20} when
     * bursts of traffic make the kernel drop packets before they are captured; {@code 0} (the
     * default) means the capture engine's default. Values outside the engine's range (see
     * {@code CaptureSpec.Builder.bufferSize(int)}) are refused.
     */
    int bufferSize() default 0;

    /**
     * Keep only packet headers (link, IP and transport) and drop payloads: smaller files, no
     * secrets from the payload in the report. Overrides {@link #snaplen()}.
     */
    boolean headersOnly() default false;

    /** Which files survive: {@link Keep#ON_FAILURE} by default. */
    Keep keep() default Keep.ON_FAILURE;

    /**
     * Directory for the files; empty (the default) means the configuration parameter
     * {@code pcapunit.output.directory}, else {@code target/pcapunit}. Relative paths resolve
     * against the working directory.
     */
    String outputDirectory() default "";

    /**
     * Whether the kernel's account of drops, resets and retransmissions is recorded too:
     * {@link KernelEvidence#AUTO} (where the machine allows) by default.
     */
    KernelEvidence kernelEvidence() default KernelEvidence.AUTO;

    /** What to do when capturing is not possible here: {@link OnUnavailable#FAIL} by default. */
    OnUnavailable onUnavailable() default OnUnavailable.FAIL;

    /**
     * One file per test ({@link Scope#TEST}, the default) or one for the whole class
     * ({@link Scope#CLASS}, only on a class).
     */
    Scope scope() default Scope.TEST;

    /**
     * Explain mode: the nftables match of the packets whose firewall verdicts are traced, e.g.
     * {@code "tcp dport 1433"}, so a drop names its table, chain, rule handle and comment; empty
     * (the default) for off. Needs root and {@code nft}. See
     * {@code CaptureSpec.Builder.explainFirewall(String)}.
     */
    String explainFirewall() default "";

    /**
     * Network namespaces ({@code ip netns} names) whose firewalls explain mode also traces; needs
     * {@link #explainFirewall()}. Empty (the default): the JVM's own namespace only.
     */
    String[] explainNamespaces() default {};

    /**
     * Network namespaces to capture in instead of the JVM's own: {@code ip netns} names or nsfs
     * paths, {@code "db"} for all of db's interfaces or {@code "db/eth0"} for one; the file names
     * each interface {@code db/eth0}. Empty (the default): the JVM's own namespace. Needs
     * {@code CAP_SYS_ADMIN} besides the capture capabilities. See
     * {@code CaptureSpec.Builder.namespaces(String...)}.
     *
     * <pre>{@code
     * @CaptureTraffic(namespaces = {"app", "db/eth0"}, filter = "tcp port 5432")
     * }</pre>
     */
    String[] namespaces() default {};

    /**
     * Docker containers to capture in, by name or id, {@code "db"} for all of the container's
     * interfaces or {@code "db/eth0"} for one; resolved through the Docker engine's socket when
     * the capture starts. Empty (the default): none. See
     * {@code CaptureSpec.Builder.containers(String...)}.
     *
     * <pre>{@code
     * @CaptureTraffic(containers = "db", filter = "tcp port 5432")
     * }</pre>
     */
    String[] containers() default {};
}
