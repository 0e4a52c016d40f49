package io.github.pcapunit.maven;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.maven.internal.CaptureRegistry;
import io.github.pcapunit.maven.internal.Report;
import io.github.pcapunit.maven.internal.RuleResult;
import io.github.pcapunit.maven.internal.Rules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

// The example is lines joined by <br>, not a <pre> block: the plugin descriptor holds this Javadoc
// as text through maven-plugin-tools' HTML conversion, which keeps the line breaks of <br> and <p>
// only (the &nbsp; indentation is for the Javadoc page); capture:help indents it again (HelpText).
/**
 * Checks the capture written by {@code capture:stop} against the configured rules, writes a
 * plain-text report next to the pcapng ({@code app.pcapng} → {@code app-report.txt}) and fails
 * the build with the same messages the AssertJ assertions give when a rule is broken.
 *
 * <p>{@code <configuration>}<br>
 * &nbsp;&nbsp;{@code <noDropsTo><port>1433</port></noDropsTo>}<br>
 * &nbsp;&nbsp;{@code <complete>true</complete>}<br>
 * &nbsp;&nbsp;{@code <onlyTalksTo><hosts><host>127.0.0.0/8</host></hosts></onlyTalksTo>}<br>
 * {@code </configuration>}
 *
 * <p>By default it runs in {@code post-integration-test}, right after {@code capture:stop} (list
 * {@code stop} before {@code verify} in the execution's goals): before Failsafe's {@code verify}
 * goal, whichever plugin the pom declares first, so a broken rule is reported with its own
 * message instead of being hidden behind "There are test failures".
 *
 * <p>A configuration element that no goal of this plugin knows (e.g. a misspelt rule) fails
 * the goal instead of being ignored. Thread-safe: each project reads its own file.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class VerifyMojo extends AbstractCaptureMojo {

    // One field per rule: Maven injects the pom's value, its Javadoc and property are the help;
    // what the rule checks and in which order is defined once, in VerifyRule.

    /**
     * {@code true}: the capture itself lost no packet and was not cut by the size cap, so an
     * absence of packets in it means they were not sent.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.complete")
    Boolean complete;

    /**
     * {@code true}: nothing was dropped at all, including packets the capture itself lost.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.noDrops")
    Boolean noDrops;

    /**
     * No packet to this port (and host, if given) was dropped: no unanswered or refused
     * connection attempt, ICMP unreachable, kernel or firewall drop, e.g.
     * {@code <noDropsTo><port>1433</port></noDropsTo>}.
     *
     * @since 0.1.0
     */
    @Parameter
    NoDropsTo noDropsTo;

    /**
     * Every IP packet goes to or comes from one of these hosts or networks, e.g.
     * {@code <onlyTalksTo><hosts><host>127.0.0.0/8</host></hosts></onlyTalksTo>}.
     *
     * @since 0.1.0
     */
    @Parameter
    OnlyTalksTo onlyTalksTo;

    /**
     * No packet goes to this host or network (and port, if given), e.g.
     * {@code <noTrafficTo><host>10.0.0.0/8</host></noTrafficTo>}.
     *
     * @since 0.1.0
     */
    @Parameter
    NoTrafficTo noTrafficTo;

    /**
     * Every TCP connection to this port completed its handshake, e.g.
     * {@code <allEstablished>1433</allEstablished>}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.allEstablished")
    Integer allEstablished;

    /**
     * No TCP connection to this port was reset (refused ones included).
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.noneReset")
    Integer noneReset;

    /**
     * No TCP connection to this port retransmitted a SYN or data.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.noneRetransmitted")
    Integer noneRetransmitted;

    /**
     * {@code true}: every ICMP/ICMPv6 echo request got a reply.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.echoRequestsAnswered")
    Boolean echoRequestsAnswered;

    /**
     * {@code true}: a rule about some traffic (e.g. {@code noDropsTo}) passes when no such
     * traffic was captured at all. By default that fails, so that "nothing was sent" is never
     * mistaken for "nothing was dropped".
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.allowNoTraffic", defaultValue = "false")
    boolean allowNoTraffic;

    /**
     * Evaluates the rules over the capture file.
     *
     * @throws MojoExecutionException for an unknown rule or a bad rule value (named, with the
     *     fix), or when there is no capture file to check
     * @throws MojoFailureException when a rule is broken, with the assertion's message
     */
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        CaptureRegistry registry = registry();
        Optional<String> skipped = skipReason().or(registry::skippedBecause);
        if (skipped.isPresent()) {
            getLog().info("pcapunit: capture:verify skipped (" + skipped.get() + ")");
            return;
        }
        checkConfiguration();
        Rules rules = VerifyRule.configured(this);
        Optional<CaptureRegistry.Running> running = registry.running();
        if (running.isPresent()) {
            throw new MojoExecutionException("the capture of " + projectKey() + " is still running"
                    + " (started by " + running.get().startedBy() + "): run capture:stop before"
                    + " capture:verify (both run in post-integration-test by default: list <goal>stop</goal>"
                    + " before <goal>verify</goal>)");
        }
        Path file = outputPath();
        if (!Files.isRegularFile(file)) {
            throw new MojoExecutionException("no capture file " + displayPath(file) + " for "
                    + projectKey() + ": run capture:start and capture:stop before capture:verify"
                    + " (or point <output> (capture.output) at an existing pcapng)");
        }
        CapturedTraffic traffic;
        List<RuleResult> results;
        try {
            // Right after this build's capture:stop, the result also carries the engine's loss
            // counters and kernel evidence status; a file from elsewhere is read as it is.
            Optional<CaptureResult> finished = registry.finished()
                    .filter(r -> r.file().toAbsolutePath().normalize().equals(file));
            traffic = finished.isPresent() ? CapturedTraffic.of(finished.get())
                    : CapturedTraffic.read(file);
            results = rules.evaluate(traffic);
        } catch (CaptureException e) {
            throw new MojoExecutionException(displayPath(file) + " cannot be checked: "
                    + e.getMessage(), e);
        }
        Path report = Report.pathFor(file);
        try {
            Report.write(report, traffic, results);
        } catch (IOException | CaptureException e) {
            throw new MojoExecutionException("the report " + displayPath(report)
                    + " cannot be written: " + e.getMessage(), e);
        }
        List<RuleResult> failed = results.stream().filter(RuleResult::failed).toList();
        if (failed.isEmpty()) {
            getLog().info("pcapunit: " + passedLine(results) + "; report "
                    + displayPath(report));
            return;
        }
        getLog().info("pcapunit: report " + displayPath(report));
        throw new MojoFailureException(failed.stream().map(r -> r.message().orElseThrow())
                .collect(Collectors.joining(System.lineSeparator() + System.lineSeparator())));
    }

    private static String passedLine(List<RuleResult> results) {
        if (results.isEmpty()) {
            return "no rules configured";
        }
        return results.size() + (results.size() == 1 ? " rule passed: " : " rules passed: ")
                + results.stream().map(RuleResult::rule).collect(Collectors.joining(", "));
    }
}
