package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.UnknownInterfaceException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecFactoryTest {

    @TempDir
    Path dir;

    private SpecFactory.Parameters params() {
        SpecFactory.Parameters p = new SpecFactory.Parameters();
        p.output = dir.resolve("out.pcapng");
        return p;
    }

    @Test
    void everyParameterSet_isCarriedIntoTheSpec() throws Exception {
        SpecFactory.Parameters p = params();
        p.filter = "tcp port 1433";
        p.interfaces = List.of("lo");
        p.snaplen = 128;
        p.bufferSize = "2MB";
        p.maxFileSize = "1MiB";
        p.kernelEvidence = "off";

        CaptureSpec spec = SpecFactory.create(p);

        assertThat(spec.filter()).contains("tcp port 1433");
        assertThat(spec.interfaces()).containsExactly("lo");
        assertThat(spec.snaplen()).isEqualTo(128);
        assertThat(spec.bufferSize()).isEqualTo(2 << 20);
        assertThat(spec.maxFileSize()).contains(1L << 20);
        assertThat(spec.kernelEvidence()).isEqualTo(KernelEvidence.OFF);
        assertThat(spec.output()).contains(dir.resolve("out.pcapng"));
    }

    @Test
    void explainParameters_areCarriedIntoTheSpec_andBadOnesNamed() throws Exception {
        SpecFactory.Parameters p = params();
        p.explainFirewall = "tcp dport 1433";
        CaptureSpec spec = SpecFactory.create(p);
        assertThat(spec.explainFirewall()).contains("tcp dport 1433");

        p.explainFirewall = "tcp dport 1433; flush ruleset";
        assertThatThrownBy(() -> SpecFactory.create(p))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<explainFirewall>tcp dport 1433; flush ruleset</explainFirewall> (capture.explainFirewall)"
                        + " is refused: explainFirewall \"tcp dport 1433; flush ruleset\" is not one nftables match"
                        + " expression: use nft syntax for the packets to trace, e.g. explainFirewall(\"tcp dport 1433\")")
                .hasCauseInstanceOf(InvalidCaptureSpecException.class);

        p.explainFirewall = "tcp dport 1433";
        p.explainNamespaces = List.of("pcapunit-no-such-ns");
        assertThatThrownBy(() -> SpecFactory.create(p))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<explainNamespaces>pcapunit-no-such-ns</explainNamespaces>"
                        + " (capture.explainNamespaces) is refused: explainNamespaces: network namespace"
                        + " \"pcapunit-no-such-ns\" does not exist");
    }

    @Test
    void nothingSet_meansCoreDefaults() throws Exception {
        CaptureSpec spec = SpecFactory.create(params());

        assertThat(spec.effectiveInterfaces()).containsExactly(CaptureSpec.ANY_INTERFACE);
        assertThat(spec.filter()).isEmpty();
        assertThat(spec.kernelEvidence()).isEqualTo(KernelEvidence.AUTO);
    }

    @Test
    void badFilter_namesParameterAndKeepsLibpcapsReason() {
        SpecFactory.Parameters p = params();
        p.filter = "tcp port bogus";

        assertThatThrownBy(() -> SpecFactory.create(p))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<filter>tcp port bogus</filter> (capture.filter): ")
                .hasMessageContaining("unknown port 'bogus'")
                .hasCauseInstanceOf(InvalidFilterException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(e.getCause().getMessage()));
    }

    @Test
    void unknownInterface_namesItAndKeepsCause() {
        SpecFactory.Parameters p = params();
        p.interfaces = List.of("nosuch0");

        assertThatThrownBy(() -> SpecFactory.create(p))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<interfaces><interface>nosuch0</interface></interfaces>"
                        + " (capture.interfaces): ")
                .hasCauseInstanceOf(UnknownInterfaceException.class);
    }

    @Test
    void badSizeText_namesParameterValueAndFix() {
        SpecFactory.Parameters p = params();
        p.maxFileSize = "lots";

        assertThatThrownBy(() -> SpecFactory.create(p))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<maxFileSize>lots</maxFileSize> (capture.maxFileSize) is not a size:"
                        + " use a number of bytes with an optional unit, e.g. 64MB, 512KiB or"
                        + " 1048576");
    }

    @Test
    void sizeCoreRefuses_isReportedInPluginTerms() {
        SpecFactory.Parameters p = params();
        p.bufferSize = "1KB";

        assertThatThrownBy(() -> SpecFactory.create(p))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<bufferSize>1KB</bufferSize> (capture.bufferSize) is"
                        + " refused: ")
                .hasCauseInstanceOf(InvalidCaptureSpecException.class);
    }

    @Test
    void unknownKernelEvidenceMode_listsTheModes() {
        SpecFactory.Parameters p = params();
        p.kernelEvidence = "sometimes";

        assertThatThrownBy(() -> SpecFactory.create(p))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<kernelEvidence>sometimes</kernelEvidence> (capture.kernelEvidence)"
                        + " is not a kernel evidence mode: use one of AUTO, REQUIRED, OFF (AUTO"
                        + " records the kernel's drop reasons where this machine allows it)");
    }
}
