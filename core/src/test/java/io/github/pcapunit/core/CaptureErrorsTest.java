package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureAvailability;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.spi.SharedCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails before any side effect, with a message naming the value and the fix. */
class CaptureErrorsTest {

    @TempDir
    Path dir;

    @Test
    void bogusPortInFilter_failsWithLibpcapsReasonAndTheFix_beforeCreatingAnything() {
        Path out = dir.resolve("not-created/x.pcapng");
        CaptureSpec spec = CaptureSpec.builder().filter("tcp port bogus").output(out).build();

        assertThatThrownBy(() -> Capture.start(spec))
                .isInstanceOfSatisfying(InvalidFilterException.class, e -> {
                    assertThat(e.filter()).isEqualTo("tcp port bogus");
                    assertThat(e.reason()).isEqualTo("unknown port 'bogus'");
                })
                .hasMessage("\"tcp port bogus\" is not a valid capture filter: unknown port 'bogus'. "
                        + "Use tcpdump filter syntax, e.g. \"tcp port 1433\".");
        assertThat(out.getParent()).doesNotExist();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("pcapunit-capture-"));
    }

    @Test
    void syntaxErrorInFilter_isReportedByValidateWithoutCapturing() {
        CaptureSpec spec = CaptureSpec.builder().filter("tcp and and").build();
        assertThatThrownBy(spec::validate).isInstanceOf(InvalidFilterException.class)
                .hasMessageStartingWith("\"tcp and and\" is not a valid capture filter: ")
                .hasMessageContaining("syntax error");
    }

    @Test
    void unknownInterface_failsListingTheAvailableOnes() {
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo", "nosuch0").build();
        assertThatThrownBy(() -> SharedCapture.start(spec))
                .isInstanceOfSatisfying(UnknownInterfaceException.class, e -> {
                    assertThat(e.requested()).isEqualTo("nosuch0");
                    assertThat(e.available()).contains("lo", "any");
                })
                .hasMessageContaining("interface \"nosuch0\" does not exist here: available are [")
                .hasMessageContaining("lo");
    }

    @Test
    void nonsenseSizes_areRefusedByTheBuilderNamingParameterAndValue() {
        assertThatThrownBy(() -> CaptureSpec.builder().snaplen(0).build())
                .isInstanceOfSatisfying(InvalidCaptureSpecException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("snaplen");
                    assertThat(e.value()).isEqualTo("0");
                })
                .hasMessageStartingWith("snaplen 0 keeps no bytes of a packet");
        assertThatThrownBy(() -> CaptureSpec.builder().bufferSize(1000).build())
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageStartingWith("bufferSize 1000 bytes is outside 65536");
        assertThatThrownBy(() -> CaptureSpec.builder().maxFileSize(100).build())
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessage("maxFileSize 100 bytes cannot hold one packet of snaplen 262144 (262184 bytes with "
                        + "headers): use at least 262184, lower snaplen, or 0 for no cap");
        assertThat(CaptureSpec.builder().headersOnly().maxFileSize(168).build().maxFileSize()).contains(168L);
        assertThatThrownBy(() -> CaptureSpec.builder().maxFileSize(-1).build())
                .hasMessageStartingWith("maxFileSize -1 bytes");
        assertThatThrownBy(() -> CaptureSpec.builder().readTimeout(java.time.Duration.ZERO).build())
                .hasMessageStartingWith("readTimeout PT0S is outside 1 ms to 1 s");
        assertThatThrownBy(() -> CaptureSpec.builder().interfaces("lo", "lo").build())
                .hasMessageContaining("names an interface twice");
        assertThatThrownBy(() -> CaptureSpec.builder().output(dir).build())
                .hasMessageStartingWith("output " + dir + " is a directory");
    }

    @Test
    void outputUnderAFile_failsNamingThePathBeforeCreatingAnything() throws Exception {
        EngineTools.assumeCapture();
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").output(file.resolve("sub/c.pcapng")).build();
        assertThatThrownBy(() -> Capture.start(spec)).isInstanceOf(CaptureException.class)
                .hasMessageStartingWith("cannot write the capture to " + file.resolve("sub") + ": " + file
                        + " is not a directory. Choose a writable output");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("pcapunit-capture-"));
    }

    @Test
    void stoppedCapture_refusesMarkAndSnapshot_andStopIsIdempotent() {
        EngineTools.assumeCapture();
        Capture capture = Capture.start(CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                .output(dir.resolve("c.pcapng")).build());
        CaptureResult first = capture.stop();
        assertThat(capture.stop()).isSameAs(first);
        capture.close();
        assertThat(capture.isRunning()).isFalse();
        assertThatThrownBy(() -> capture.mark("late")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mark before stopping");
        assertThatThrownBy(capture::snapshot).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("use the CaptureResult stop() returned");
        assertThat(EngineTools.run(List.of("capinfos", first.file().toString())))
                .anyMatch(l -> l.contains("pcapunit capture on [lo]"));
    }

    @Test
    void unprivilegedChildJvm_failsWithWhatToGrantIncludingTheLibjliPitfall() throws Exception {
        EngineTools.assumeCapture(); // root here; the child drops to nobody
        // the output directory is writable for nobody, so only the missing privilege can fail
        String out = runChild(true, List.of(), "once", dir.resolve("child/child.pcapng").toString(), "udp port 9");
        assertThat(out).contains("FAILED CaptureNotPermittedException: capture not permitted on \"lo\"")
                .contains("Operation not permitted")
                .contains("run as root")
                .contains("sudo setcap cap_net_raw,cap_net_admin=eip")
                .contains("libjli.so")
                .contains("ldconfig");
        assertThat(dir.resolve("child/child.pcapng")).doesNotExist();
        assertThat(CaptureAvailability.check().isAvailable()).isTrue();
    }

    @Test
    void missingLibpcap_failsNamingTheFileThePropertyNames() throws Exception {
        String out = runChild(false, List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so"), "once",
                dir.resolve("child.pcapng").toString(), "udp port 9");
        // the property is set: the file it names is the problem, not a package to install
        assertThat(out).contains("FAILED LibpcapNotFoundException: libpcap not found: "
                + "-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so could not be loaded: ")
                .doesNotContain("pcapLibName=/path");
        assertThat(dir.resolve("child.pcapng")).doesNotExist();
    }

    private String runChild(boolean asNobody, List<String> jvmArgs, String... args) throws Exception {
        Process p = EngineChildJvm.builder(dir.resolve("child"), asNobody, jvmArgs, args).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(dir)).isTrue();
        return out;
    }
}
