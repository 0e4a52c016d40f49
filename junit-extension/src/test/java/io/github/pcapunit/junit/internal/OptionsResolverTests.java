package io.github.pcapunit.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.junit.CaptureTraffic;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.OnUnavailable;
import io.github.pcapunit.junit.Scope;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Annotation, builder and configuration parameters resolve into one {@link CaptureOptions}:
 * parameters fill what was not written, what was written wins.
 */
class OptionsResolverTests {

    /** Accepts every filter and interface and says captures are possible: no libpcap needed. */
    private static final CaptureEnvironment ANYTHING_GOES = new CaptureEnvironment() {
        @Override
        public Optional<String> checkFilter(String filter) {
            return Optional.empty();
        }

        @Override
        public Optional<String> checkInterfaces(List<String> interfaces) {
            return Optional.empty();
        }

        @Override
        public Optional<CaptureException> unavailable() {
            return Optional.empty();
        }
    };

    @TempDir
    Path out;

    @SuppressWarnings("unused")
    static class Samples {
        @CaptureTraffic
        void bare() {
        }

        @CaptureTraffic(interfaces = "lo", kernelEvidence = KernelEvidence.REQUIRED, keep = Keep.NEVER,
                scope = Scope.CLASS)
        void written() {
        }
    }

    private CaptureOptions resolve(DeclaredOptions declared, Map<String, String> parameters) {
        Map<String, String> all = new java.util.HashMap<>(parameters);
        all.putIfAbsent(ConfigParameters.OUTPUT_DIRECTORY, out.toString());
        return new OptionsResolver(new ConfigParameters(key -> Optional.ofNullable(all.get(key))), ANYTHING_GOES)
                .resolve(declared, "SomeTest.test()");
    }

    private static DeclaredOptions annotation(String sample) throws Exception {
        return AnnotatedOptions.of(Samples.class.getDeclaredMethod(sample).getAnnotation(CaptureTraffic.class));
    }

    private static final Map<String, String> PARAMETERS = Map.of(
            ConfigParameters.INTERFACES, "lo, eth0",
            ConfigParameters.KERNEL_EVIDENCE, "off",
            ConfigParameters.KEEP, "always",
            ConfigParameters.ON_UNAVAILABLE, "skip");

    @Test
    void bareAnnotation_takesEveryParameter() throws Exception {
        CaptureOptions options = resolve(annotation("bare"), PARAMETERS);

        assertThat(options.spec().interfaces()).containsExactly("lo", "eth0");
        assertThat(options.spec().kernelEvidence()).isEqualTo(KernelEvidence.OFF);
        assertThat(options.keep()).isEqualTo(Keep.ALWAYS);
        assertThat(options.onUnavailable()).isEqualTo(OnUnavailable.SKIP);
        assertThat(options.outputDirectory()).isEqualTo(out);
        assertThat(options.scope()).isEqualTo(Scope.TEST);
    }

    @Test
    void bareAnnotationWithoutParameters_takesTheDefaults() throws Exception {
        CaptureOptions options = resolve(annotation("bare"), Map.of());

        assertThat(options.spec().toString()).isEqualTo(CaptureSpec.builder().build().toString());
        assertThat(options.keep()).isEqualTo(Keep.ON_FAILURE);
        assertThat(options.onUnavailable()).isEqualTo(OnUnavailable.FAIL);
    }

    @Test
    void writtenAttributes_winOverParameters() throws Exception {
        CaptureOptions options = resolve(annotation("written"), PARAMETERS);

        assertThat(options.spec().interfaces()).containsExactly("lo");
        assertThat(options.spec().kernelEvidence()).isEqualTo(KernelEvidence.REQUIRED);
        assertThat(options.keep()).isEqualTo(Keep.NEVER);
        assertThat(options.scope()).isEqualTo(Scope.CLASS);
    }

    @Test
    void builderSettingAnEnginesDefaultExplicitly_winsOverTheParameter() {
        DeclaredOptions builder = new DeclaredOptions(DeclaredOptions.Origin.BUILDER,
                spec -> spec.kernelEvidence(KernelEvidence.AUTO), null, null, null, null);

        CaptureOptions options = resolve(builder, PARAMETERS);

        assertThat(options.spec().kernelEvidence()).isEqualTo(KernelEvidence.AUTO);
        assertThat(options.spec().interfaces()).containsExactly("lo", "eth0");
    }

    @Test
    void sameDeclarations_resolveToTheSameSharedCapture_differentSpecsToDifferentOnes() throws Exception {
        CaptureSpec bare = resolve(annotation("bare"), Map.of()).sharedCaptureKey();
        CaptureSpec bareAgain = resolve(annotation("bare"), Map.of(ConfigParameters.KEEP, "never")).sharedCaptureKey();
        CaptureSpec buffered = resolve(new DeclaredOptions(DeclaredOptions.Origin.BUILDER,
                spec -> spec.bufferSize(4 << 20), null, null, null, null), Map.of()).sharedCaptureKey();

        assertThat(bareAgain).as("keep is not the engine's business").isEqualTo(bare);
        assertThat(buffered).isNotEqualTo(bare);
    }
}
