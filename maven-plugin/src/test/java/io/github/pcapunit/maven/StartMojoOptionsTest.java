package io.github.pcapunit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.UnknownInterfaceException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capture:start}'s parameters, as Maven injects them, into core's spec. */
class StartMojoOptionsTest {

    @TempDir
    Path dir;

    private final StartMojo mojo = new StartMojo();

    private CaptureSpec spec() throws MojoExecutionException {
        return mojo.options(dir.resolve("out.pcapng"), "test").build();
    }

    @Test
    void everyParameterSet_isCarriedIntoTheSpec() throws Exception {
        mojo.filter = "tcp port 1433";
        mojo.interfaces = List.of("lo");
        mojo.snaplen = 128;
        mojo.bufferSize = "2MB";
        mojo.maxFileSize = "1MiB";
        mojo.kernelEvidence = "off";

        CaptureSpec spec = spec();

        assertThat(spec.filter()).contains("tcp port 1433");
        assertThat(spec.interfaces()).containsExactly("lo");
        assertThat(spec.snaplen()).isEqualTo(128);
        assertThat(spec.bufferSize()).isEqualTo(2 << 20);
        assertThat(spec.maxFileSize()).contains(1L << 20);
        assertThat(spec.kernelEvidence()).isEqualTo(KernelEvidence.OFF);
        assertThat(spec.output()).contains(dir.resolve("out.pcapng"));
        assertThat(spec.comment()).contains("test");
    }

    @Test
    void explainParameters_areCarriedIntoTheSpec_andBadOnesNamed() throws Exception {
        mojo.explainFirewall = "tcp dport 1433";
        assertThat(spec().explainFirewall()).contains("tcp dport 1433");

        mojo.explainFirewall = "tcp dport 1433; flush ruleset";
        assertThatThrownBy(this::spec)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<explainFirewall>tcp dport 1433; flush ruleset</explainFirewall> (capture.explainFirewall)"
                        + " is refused: it is not one nftables match expression: write the packets to trace in"
                        + " nft syntax, e.g. <explainFirewall>tcp dport 1433</explainFirewall>"
                        + " (-Dcapture.explainFirewall=\"tcp dport 1433\")")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(InvalidCaptureSpecException.class));

        mojo.explainFirewall = "tcp dport 1433";
        mojo.explainNamespaces = List.of("pcapunit-no-such-ns");
        assertThatThrownBy(this::spec)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<explainNamespaces>pcapunit-no-such-ns</explainNamespaces>"
                        + " (capture.explainNamespaces) is refused: explainNamespaces: network namespace"
                        + " \"pcapunit-no-such-ns\" does not exist");
    }

    @Test
    void explainNamespacesWithoutExplainFirewall_isRefusedAsWritten() {
        mojo.explainNamespaces = List.of("db", "app");

        assertThatThrownBy(this::spec)
                .hasMessage("<explainNamespaces>db,app</explainNamespaces>"
                        + " (capture.explainNamespaces) is refused: the namespaces' firewalls are"
                        + " traced in explain mode only: also set <explainFirewall>, e.g."
                        + " <explainFirewall>tcp dport 1433</explainFirewall>");
    }

    @Test
    void nothingSet_meansCoreDefaults() throws Exception {
        CaptureSpec spec = spec();

        assertThat(spec.effectiveInterfaces()).containsExactly(CaptureSpec.ANY_INTERFACE);
        assertThat(spec.filter()).isEmpty();
        assertThat(spec.snaplen()).isEqualTo(CaptureSpec.DEFAULT_SNAPLEN);
        assertThat(spec.bufferSize()).isEqualTo(CaptureSpec.DEFAULT_BUFFER_SIZE);
        assertThat(spec.maxFileSize()).isEmpty();
        assertThat(spec.kernelEvidence()).isEqualTo(KernelEvidence.AUTO);
    }

    @Test
    void badFilter_namesParameterAndKeepsLibpcapsReason() {
        mojo.filter = "tcp port bogus";

        assertThatThrownBy(this::spec)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<filter>tcp port bogus</filter> (capture.filter): ")
                .hasMessageContaining("unknown port 'bogus'")
                .hasCauseInstanceOf(InvalidFilterException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(e.getCause().getMessage()));
    }

    @Test
    void unknownInterface_namesItAndKeepsCause() {
        mojo.interfaces = List.of("nosuch0");

        assertThatThrownBy(this::spec)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<interfaces><interface>nosuch0</interface></interfaces>"
                        + " (capture.interfaces): ")
                .hasCauseInstanceOf(UnknownInterfaceException.class);
    }

    @Test
    void interfaceNamedTwice_isRefusedBeforeLibpcapIsAsked() {
        mojo.interfaces = List.of("lo", "lo");

        assertThatThrownBy(this::spec)
                .hasMessageStartingWith("<interfaces>lo,lo</interfaces> (capture.interfaces) is"
                        + " refused: interfaces [lo, lo] names an interface twice")
                .hasCauseInstanceOf(InvalidCaptureSpecException.class);
    }

    @Test
    void badSizeText_namesParameterValueAndFix() {
        mojo.maxFileSize = "lots";

        assertThatThrownBy(this::spec)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<maxFileSize>lots</maxFileSize> (capture.maxFileSize) is not a size:"
                        + " use a number of bytes with an optional unit, e.g. 64MB, 512KiB or"
                        + " 1048576")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bufferSizeCoreRefuses_isReportedAsTheUserWroteIt() {
        mojo.bufferSize = "1KB";

        assertThatThrownBy(this::spec)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<bufferSize>1KB</bufferSize> (capture.bufferSize) is refused:"
                        + " the kernel buffer must be 64KB to 1GB: use e.g. <bufferSize>32MB</bufferSize>"
                        + " (-Dcapture.bufferSize=32MB)")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(InvalidCaptureSpecException.class)
                        .extracting(Throwable::getMessage).asString()
                        .contains("bufferSize 1024 bytes is outside 65536"));
    }

    @Test
    void bufferSizeBeyondAnInt_isRefusedWithTheFix() {
        mojo.bufferSize = "4GB";

        assertThatThrownBy(this::spec)
                .hasMessage("<bufferSize>4GB</bufferSize> (capture.bufferSize) is 2 GiB or more,"
                        + " too large for this option: use a smaller size, e.g. 32MB");
    }

    @Test
    void snaplenZero_meansWholePackets_asInTheJUnitExtensionAndTcpdump() throws Exception {
        mojo.snaplen = 0;

        assertThat(spec().snaplen()).isEqualTo(CaptureSpec.DEFAULT_SNAPLEN);
    }

    @Test
    void negativeSnaplen_isRefusedWithMavenFixes_notBuilderCalls() {
        mojo.snaplen = -1;

        assertThatThrownBy(this::spec)
                .hasMessage("<snaplen>-1</snaplen> (capture.snaplen) is refused: a snaplen below 0"
                        + " keeps no bytes of a packet: use a positive length, e.g."
                        + " <snaplen>128</snaplen> (-Dcapture.snaplen=128) for headers only, or 0 (or"
                        + " no <snaplen>) for whole packets")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(InvalidCaptureSpecException.class));
    }

    @Test
    void outputThatIsADirectory_namesTheOutputParameter() {
        assertThatThrownBy(() -> mojo.options(dir, "test").build())
                .hasMessageStartingWith("<output>" + dir + "</output> (capture.output) is"
                        + " refused: output " + dir + " is a directory");
    }

    @Test
    void unknownKernelEvidenceMode_listsTheModes() {
        mojo.kernelEvidence = "sometimes";

        assertThatThrownBy(this::spec)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<kernelEvidence>sometimes</kernelEvidence> (capture.kernelEvidence)"
                        + " is not one of AUTO, REQUIRED, OFF: use one of these (in any case),"
                        + " e.g. auto");
    }
}
