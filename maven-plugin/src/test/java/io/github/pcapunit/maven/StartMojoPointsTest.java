package io.github.pcapunit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <namespaces>} of {@code capture:start} become capture points, checked like every parameter. */
class StartMojoPointsTest {

    static final String APP = "pcapunit-m16-app";
    static final String DB = "pcapunit-m16-db";

    @TempDir
    Path dir;

    private final StartMojo mojo = new StartMojo();

    @BeforeAll
    static void namespaces() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
        removeNamespaces();
        for (String ns : List.of(APP, DB)) {
            run("ip", "netns", "add", ns);
        }
    }

    @AfterAll
    static void removeNamespaces() throws Exception {
        for (String ns : List.of(APP, DB)) {
            new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private CaptureSpec spec() throws MojoExecutionException {
        return mojo.options(dir.resolve("out.pcapng"), "test").build();
    }

    @Test
    void namespaces_becomePointsWithTheirInterfaces_andTheBuildsOwnNamespaceIsNotCaptured() throws Exception {
        mojo.namespaces = List.of(APP, DB + "/lo");

        CaptureSpec spec = spec();

        assertThat(spec.points()).containsExactly(CapturePoint.namespace(APP), CapturePoint.namespace(DB).interfaces("lo"));
        assertThat(spec.capturesOwnNamespace()).isFalse();
        assertThat(StartMojo.places(spec)).as("where capture:start says it captures").isEqualTo(APP + "/any," + DB + "/lo");
    }

    @Test
    void namespaceThatDoesNotExist_isRefusedAsWritten_listingWhatExists() {
        mojo.namespaces = List.of("pcapunit-no-such-ns");
        assertThatThrownBy(this::spec).isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<namespaces>pcapunit-no-such-ns</namespaces> (capture.namespaces) is refused:"
                        + " network namespace \"pcapunit-no-such-ns\" does not exist")
                .hasMessageContaining(APP).hasMessageContaining(DB);
    }

    @Test
    void containerNameThatCannotBeOne_isRefusedBeforeDockerIsAsked() {
        mojo.containers = List.of("db;reboot");
        assertThatThrownBy(this::spec).isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<containers>db;reboot</containers> (capture.containers) is refused:"
                        + " containers entry \"db;reboot\" is not a container");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
