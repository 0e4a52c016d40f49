package io.github.pcapunit.maven;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.maven.internal.CaptureRegistry;
import io.github.pcapunit.maven.internal.Summary;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Stops the capture {@code capture:start} began, by default after the integration tests, writes
 * the pcapng file and logs a one-line summary (packets, bytes, capture loss, kernel drops seen,
 * file), and a warning naming the first drop when the captured traffic has any. Failing
 * integration tests do not prevent it: Failsafe's {@code integration-test} goal records
 * failures and only its {@code verify} goal, later, fails the build.
 *
 * <p>{@code mvn capture:start verify capture:stop -Dcapture.filter="tcp port 5432"}
 *
 * <p>With {@code <attach>true</attach>} the file is attached to the project (type
 * {@code pcapng}, classifier {@code pcapunit} unless configured), so {@code install} and
 * {@code deploy} publish it. Thread-safe: each project of a parallel build has its own capture.
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class StopMojo extends AbstractCaptureMojo {

    /**
     * Attach the pcapng file to the project so that {@code install}/{@code deploy} publish it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.attach", defaultValue = "false")
    boolean attach;

    /**
     * Classifier of the attached file (type {@code pcapng}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.classifier", defaultValue = "pcapunit")
    String classifier;

    @Component
    MavenProjectHelper projectHelper;

    /**
     * Stops the capture and writes the file, or logs why it is skipped.
     *
     * @throws MojoExecutionException when no capture is running for this project, or the file
     *     cannot be written
     */
    @Override
    public void execute() throws MojoExecutionException {
        CaptureRegistry registry = registry();
        Optional<String> skipped = skipReason().or(registry::skippedBecause);
        if (skipped.isPresent() && registry.running().isEmpty()) {
            getLog().info("pcapunit: capture skipped (" + skipped.get() + ")");
            return;
        }
        checkConfiguration();
        if (attach && (classifier == null || classifier.isBlank())) {
            throw new MojoExecutionException("<classifier></classifier> (capture.classifier) is"
                    + " empty: an attached capture needs a classifier so that it does not replace"
                    + " the main artifact, e.g. <classifier>pcapunit</classifier>");
        }
        CaptureRegistry.Running running = registry.takeRunning().orElseThrow(() ->
                new MojoExecutionException("no capture is running for " + projectKey()
                        + ": run capture:start first (e.g. bind it to pre-integration-test)"));
        CaptureResult result;
        try {
            result = running.capture().stop();
        } catch (CaptureException e) {
            throw new MojoExecutionException(goalName() + " could not write the capture "
                    + displayPath(running.output()) + ": " + e.getMessage(), e);
        }
        registry.putFinished(result);
        Optional<List<Drop>> drops = drops(result);
        getLog().info("pcapunit: " + Summary.line(result, drops.map(Summary::kernelDrops).orElse(-1L),
                displayPath(result.file())));
        // The verdict in one line, before any later goal (Failsafe's verify) can end the build.
        drops.flatMap(Summary::diagnosis).ifPresent(line -> getLog().warn("pcapunit: " + line));
        if (!result.kernelEvidenceStatus().isBlank()) {
            getLog().debug("pcapunit: kernel evidence: " + result.kernelEvidenceStatus());
        }
        if (attach) {
            projectHelper.attachArtifact(project, "pcapng", classifier.strip(),
                    result.file().toFile());
            getLog().info("pcapunit: attached " + displayPath(result.file()) + " as "
                    + project.getArtifactId() + "-" + project.getVersion() + "-"
                    + classifier.strip() + ".pcapng");
        }
    }

    /**
     * The drops in the captured traffic (refused or unanswered connections, ICMP errors, kernel
     * and firewall records), narrowed to the capture filter where core's reader understands it
     * (kernel evidence is recorded machine-wide); empty when the file cannot be read.
     */
    private Optional<List<Drop>> drops(CaptureResult result) {
        try {
            CapturedTraffic traffic = CapturedTraffic.of(result);
            if (result.spec().filter().isPresent()) {
                try {
                    traffic = traffic.filter(result.spec().filter().get());
                } catch (InvalidFilterException e) {
                    getLog().debug("pcapunit: counting drops unfiltered: " + e.getMessage());
                }
            }
            return Optional.of(traffic.drops());
        } catch (CaptureException e) {
            getLog().debug("pcapunit: cannot count drops in " + result.file(), e);
            return Optional.empty();
        }
    }
}
