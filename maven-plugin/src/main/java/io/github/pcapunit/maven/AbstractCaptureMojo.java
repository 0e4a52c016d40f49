package io.github.pcapunit.maven;

import io.github.pcapunit.maven.internal.CaptureRegistry;
import io.github.pcapunit.maven.internal.ConfigurationCheck;
import io.github.pcapunit.maven.internal.Skips;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every capture goal shares: the project, the capture file, the skip flags and the
 * per-project state kept between goals in the plugin context.
 */
abstract class AbstractCaptureMojo extends AbstractMojo {

    /** The project being built; its plugin context holds the running capture. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** This goal's execution, to name it in messages and to find its configuration. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    /**
     * The pcapng file the capture is written to, read back by {@code capture:verify}. The text
     * report goes next to it ({@code .pcapng} replaced by {@code -report.txt}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.output",
            defaultValue = "${project.build.directory}/pcapunit/${project.artifactId}.pcapng")
    File output;

    /**
     * Skips the goal. {@code start}, {@code stop} and {@code verify} all honour it, so
     * {@code -Dcapture.skip} switches the whole capture off.
     *
     * @since 0.1.0
     */
    @Parameter(property = "capture.skip", defaultValue = "false")
    boolean skip;

    /**
     * Failsafe's flag: without integration tests there is nothing to capture.
     *
     * @since 0.1.0
     */
    @Parameter(property = "skipITs", defaultValue = "false")
    boolean skipITs;

    /**
     * Skips the capture like it skips the tests.
     *
     * @since 0.1.0
     */
    @Parameter(property = "skipTests", defaultValue = "false")
    boolean skipTests;

    /**
     * Skips the capture like it skips compiling and running the tests.
     *
     * @since 0.1.0
     */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    boolean mavenTestSkip;

    /** The reason this goal is skipped, or empty to run it. */
    Optional<String> skipReason() {
        return Skips.reason(skip, skipITs, skipTests, mavenTestSkip);
    }

    /**
     * Fails on configuration elements no goal of this plugin knows (Maven 3.9 only warns, and a
     * misspelt {@code capture:verify} rule would pass silently).
     */
    void checkConfiguration() throws MojoExecutionException {
        List<String> unknown = ConfigurationCheck.unknownElements(project, mojoExecution);
        if (!unknown.isEmpty()) {
            throw new MojoExecutionException("capture-maven-plugin has no parameter or rule "
                    + unknown.stream().map(u -> "<" + u + ">").collect(Collectors.joining(", "))
                    + ": check the spelling; the rules of capture:verify are "
                    + VerifyRule.elements()
                    + " (mvn capture:help -Ddetail lists every parameter)");
        }
    }

    /** The capture state of this project, shared by the goals of one build. */
    @SuppressWarnings("unchecked")
    CaptureRegistry registry() {
        return new CaptureRegistry(getPluginContext(), projectKey());
    }

    /** {@code groupId:artifactId}, how messages name the project. */
    String projectKey() {
        return project.getGroupId() + ":" + project.getArtifactId();
    }

    /** {@code capture:start (execution-id)}, how messages name this goal. */
    String goalName() {
        return "capture:" + mojoExecution.getGoal() + " (" + mojoExecution.getExecutionId() + ")";
    }

    /** The capture file, absolute. */
    Path outputPath() {
        return output.toPath().toAbsolutePath().normalize();
    }

    /** The output path shown to the user: relative to the project directory when inside it. */
    String displayPath(Path path) {
        Path base = project.getBasedir() == null ? null
                : project.getBasedir().toPath().toAbsolutePath().normalize();
        return base != null && path.startsWith(base) ? base.relativize(path).toString()
                : path.toString();
    }
}
