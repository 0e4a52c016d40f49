package io.github.pcapunit.maven;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureSpec.Builder;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.spi.SharedCapture;
import io.github.pcapunit.maven.internal.CaptureRegistry;
import io.github.pcapunit.maven.internal.ClassPreloader;
import io.github.pcapunit.maven.internal.Sizes;
import io.github.pcapunit.maven.internal.SpecBinder;
import io.github.pcapunit.maven.internal.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

// The example is lines joined by <br>, not a <pre> block: the plugin descriptor holds this Javadoc
// as text through maven-plugin-tools' HTML conversion, which keeps the line breaks of <br> and <p>
// only (the &nbsp; indentation is for the Javadoc page); capture:help indents it again (HelpText).
/**
 * Starts capturing packets in the Maven JVM, by default before the integration tests. The
 * capture runs until {@code capture:stop}; a JVM that dies first still leaves a valid pcapng
 * (a shutdown hook stops it).
 *
 * <p>{@code <plugin>}<br>
 * &nbsp;&nbsp;{@code <groupId>io.github.pcapunit</groupId>}<br>
 * &nbsp;&nbsp;{@code <artifactId>capture-maven-plugin</artifactId>}<br>
 * &nbsp;&nbsp;{@code <configuration>}<br>
 * &nbsp;&nbsp;&nbsp;&nbsp;{@code <filter>tcp port 1433</filter>}<br>
 * &nbsp;&nbsp;{@code </configuration>}<br>
 * &nbsp;&nbsp;{@code <executions>}<br>
 * &nbsp;&nbsp;&nbsp;&nbsp;{@code <execution>}<br>
 * &nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;{@code <goals><goal>start</goal><goal>stop</goal><goal>verify</goal></goals>}<br>
 * &nbsp;&nbsp;&nbsp;&nbsp;{@code </execution>}<br>
 * &nbsp;&nbsp;{@code </executions>}<br>
 * {@code </plugin>}
 *
 * <p>Every parameter is checked, the filter compiled and the interfaces looked up before the
 * capture starts; a bad value fails the goal with a message naming the parameter, the value and
 * the fix. Thread-safe: each project of a parallel build gets its own capture and file.
 *
 * <p>With {@code kernelEvidence} {@code AUTO} (the default) or {@code REQUIRED}, the goal first
 * waits once per Maven JVM for the eBPF drop recorder (bpftrace) to attach, at most 2 s (about
 * 0.5-0.8 s measured on 2 vCPUs), so the drops of the build's first packets are recorded too;
 * it waits for nothing when bpftrace is already attached, when eBPF is unavailable here (no
 * bpftrace or kernel BTF), or with {@code <kernelEvidence>OFF</kernelEvidence>}. Past the bound
 * the capture starts anyway, and its evidence status says from when eBPF recorded.
 */
@Mojo(name = "start", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class StartMojo extends AbstractCaptureMojo {

    /**
     * The capture filter in tcpdump syntax, e.g. {@code tcp port 1433}. Unset: every packet.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.filter")
    String filter;

    /**
     * Interfaces to capture on, e.g. {@code <interface>lo</interface>}; from the command line a
     * comma-separated list ({@code -Dcapture.interfaces=lo,eth0}). Unset: all interfaces
     * ({@code any}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.interfaces")
    List<String> interfaces;

    /**
     * Bytes kept of each packet, e.g. {@code <snaplen>128</snaplen>} to keep headers only, so no
     * payload is archived. 0 or unset: whole packets (262144, as tcpdump's {@code -s 0}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.snaplen")
    Integer snaplen;

    /**
     * Kernel buffer per interface, e.g. {@code 64MB}; 64KB to 1GB. Unset: 32MB.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.bufferSize")
    String bufferSize;

    /**
     * Size cap of the pcapng file, e.g. {@code 100MB}; the capture stops writing when it is
     * reached and the summary says so. Unset: no cap.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.maxFileSize")
    String maxFileSize;

    /**
     * Whether to record the kernel's own account of drops, resets and retransmissions next to
     * the packets: {@code AUTO} (where this machine allows it), {@code REQUIRED} (fail when it
     * cannot) or {@code OFF}. Unset: {@code AUTO}. With {@code AUTO} or {@code REQUIRED} the goal
     * waits once, at most 2 s, for the eBPF drop recorder to attach before capturing; {@code OFF}
     * never waits.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.kernelEvidence")
    String kernelEvidence;

    /**
     * Explain mode: the nftables match of the packets whose firewall verdicts are traced, e.g.
     * {@code <explainFirewall>tcp dport 1433</explainFirewall>}, so that a drop names the exact
     * rule (table, chain, handle, comment) in {@code capture:verify}'s message and the pcapng's
     * journal. A temporary nftables table sets {@code meta nftrace set 1} while the capture runs
     * and is always removed. Needs root and {@code nft}. Unset: off.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.explainFirewall")
    String explainFirewall;

    /**
     * Network namespaces ({@code ip netns} names) whose firewalls explain mode also traces, e.g.
     * a database's {@code <explainNamespace>db</explainNamespace>}; needs {@code explainFirewall}.
     * Unset: the build's own namespace only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.explainNamespaces")
    List<String> explainNamespaces;

    /**
     * Network namespaces to capture in instead of the build's own: {@code ip netns} names or nsfs
     * paths, each {@code db} (all its interfaces) or {@code db/eth0} (one), e.g.
     * {@code <namespaces><namespace>db</namespace></namespaces>}; the file names each interface
     * {@code db/eth0}. Needs CAP_SYS_ADMIN besides the capture capabilities. Unset: the build's
     * own namespace.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.namespaces")
    List<String> namespaces;

    /**
     * Docker containers to capture in, by name or id, each {@code db} (all its interfaces) or
     * {@code db/eth0} (one), e.g. {@code <containers><container>db</container></containers>};
     * resolved through the Docker engine's socket ({@code DOCKER_HOST} or
     * {@code /var/run/docker.sock}) when the capture starts. Unset: none.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.containers")
    List<String> containers;

    /** The running Maven's version, to pick its logger configuration property. */
    @Parameter(defaultValue = "${maven.version}", readonly = true)
    String mavenVersion;

    /**
     * Starts the capture, or logs why it is skipped.
     *
     * @throws MojoExecutionException for a bad parameter (named with its value and the fix), a
     *     second start without a stop, or a capture the machine refuses (e.g. not permitted)
     */
    @Override
    public void execute() throws MojoExecutionException {
        CaptureRegistry registry = registry();
        Optional<String> skipped = skipReason();
        if (skipped.isPresent()) {
            getLog().info("pcapunit: capture skipped (" + skipped.get() + ")");
            registry.putSkipped(skipped.get());
            return;
        }
        checkConfiguration();
        Optional<CaptureRegistry.Running> already = registry.running();
        if (already.isPresent()) {
            throw new MojoExecutionException("a capture is already running for " + projectKey()
                    + " (started by " + already.get().startedBy() + "): run capture:stop before"
                    + " starting another, or remove one of the two capture:start executions");
        }
        Path file = outputPath();
        quietPcap4j(mavenVersion);
        CaptureSpec spec = options(file,
                "capture-maven-plugin " + projectKey() + " " + goalName()).build();
        long t0 = System.nanoTime();
        int preloaded = ClassPreloader.preload(getClass().getClassLoader(),
                "io.github.pcapunit.core.capture.Capture", "org.pcap4j.core.PcapHandle",
                "com.sun.jna.Native");
        if (preloaded > 0) {
            getLog().debug("pcapunit: preloaded " + preloaded + " classes for the shutdown hook in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
        Capture capture;
        try {
            Files.createDirectories(file.getParent());
            // a build's capture runs long: wait (at most 2 s, once) for eBPF to attach, so the
            // drops of its first packets are observed too, as in a JUnit run's shared capture
            long waited = SharedCapture.prepareKernelEvidence(spec);
            if (waited >= 0) {
                getLog().debug("pcapunit: waited " + waited + " ms for the eBPF drop recorder to attach");
            }
            capture = Capture.start(spec);
        } catch (IOException e) {
            throw new MojoExecutionException("<output>" + file + "</output> (capture.output)"
                    + " cannot be created: " + e.getMessage()
                    + ": choose a writable location, e.g. target/pcapunit/capture.pcapng", e);
        } catch (CaptureException e) {
            throw new MojoExecutionException(goalName() + " cannot capture: " + e.getMessage(), e);
        }
        registry.putRunning(new CaptureRegistry.Running(capture, file, goalName()));
        getLog().info("pcapunit: capturing " + spec.filter().map(f -> "'" + f + "'")
                .orElse("all packets") + " on " + places(spec)
                + " (snaplen " + spec.snaplen() + ", buffer " + Summary.bytes(spec.bufferSize())
                + ", kernel evidence " + spec.kernelEvidence()
                + spec.maxFileSize().map(m -> ", cap " + m + " bytes").orElse("")
                + spec.explainFirewall().map(m -> ", explaining firewall drops of '" + m + "'").orElse("") + ") into "
                + displayPath(file));
    }

    /**
     * Where the capture runs, as the file names its interfaces: {@code any} in the build's own
     * namespace, {@code db/any,app/eth0} at capture points (label, or namespace / container as given).
     */
    static String places(CaptureSpec spec) {
        List<String> places = new ArrayList<>();
        if (spec.capturesOwnNamespace()) {
            places.addAll(spec.effectiveInterfaces());
        }
        for (CapturePoint p : spec.points()) {
            for (String i : p.effectiveInterfaces()) {
                places.add(p.label().orElse(p.target()) + "/" + i);
            }
        }
        return String.join(",", places);
    }

    /**
     * pcap4j logs every open, close and loop at INFO ("10 NIF(s) found.", "Break loop."), which
     * Maven prints between the build's own lines. Its loggers are created when its classes are
     * initialised, after this; a level the user set is kept.
     */
    private static void quietPcap4j(String mavenVersion) {
        // Maven 4 renamed the simple logger's properties and warns about the old names.
        String key = mavenVersion != null && mavenVersion.startsWith("3.")
                ? "org.slf4j.simpleLogger.log.org.pcap4j" : "maven.logger.log.org.pcap4j";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "warn");
        }
    }

    /**
     * The capture options, bound onto core's spec: one line per parameter above, named as the
     * field (and so as the builder method it feeds); its user property is {@code capture.<name>}.
     * Adding an option is a field above plus a line here.
     *
     * @param comment for the pcapng section comment, e.g. which project and goal captured
     * @throws MojoExecutionException naming the parameter, its value and the fix
     */
    SpecBinder options(Path file, String comment) throws MojoExecutionException {
        return SpecBinder.of(CaptureSpec.builder().comment(comment))
                .option("output", file, Builder::output)
                .option("filter", filter, Builder::filter)
                .option("interfaces", interfaces, Builder::interfaces)
                .option("snaplen", snaplen, n -> n == 0 ? CaptureSpec.DEFAULT_SNAPLEN : n,
                        Builder::snaplen)
                .option("bufferSize", bufferSize, Sizes::parseInt, Builder::bufferSize)
                .option("maxFileSize", maxFileSize, Sizes::parse, Builder::maxFileSize)
                .option("kernelEvidence", kernelEvidence, SpecBinder.choice(KernelEvidence.class),
                        Builder::kernelEvidence)
                .option("explainFirewall", explainFirewall, Builder::explainFirewall)
                .option("explainNamespaces", explainNamespaces, l -> l.toArray(String[]::new),
                        Builder::explainNamespaces)
                .option("namespaces", namespaces, l -> l.toArray(String[]::new), Builder::namespaces)
                .option("containers", containers, l -> l.toArray(String[]::new), Builder::containers);
    }
}
