package io.github.pcapunit.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.junit.CaptureTraffic;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The binding of {@code @CaptureTraffic} to {@link CaptureSpec.Builder} is complete: every
 * attribute is the extension's own or reaches the spec, and each one alone changes it.
 */
class SpecBindingTests {

    /** One sample per capture attribute, named after it; a new attribute needs one here. */
    @SuppressWarnings("unused")
    static class Samples {
        @CaptureTraffic(filter = "udp port 9")
        void filter() {
        }

        @CaptureTraffic(interfaces = "lo")
        void interfaces() {
        }

        @CaptureTraffic(snaplen = 1500)
        void snaplen() {
        }

        @CaptureTraffic(bufferSize = 1 << 20)
        void bufferSize() {
        }

        @CaptureTraffic(headersOnly = true)
        void headersOnly() {
        }

        @CaptureTraffic(kernelEvidence = KernelEvidence.OFF)
        void kernelEvidence() {
        }

        @CaptureTraffic(explainFirewall = "tcp dport 1433")
        void explainFirewall() {
        }

        @CaptureTraffic(explainFirewall = "tcp dport 1433", explainNamespaces = "db")
        void explainNamespaces() {
        }

        @CaptureTraffic(namespaces = "db/eth0")
        void namespaces() {
        }

        @CaptureTraffic(containers = "db")
        void containers() {
        }
    }

    @Test
    void everyAttribute_isTheExtensionsOwnOrCarriedIntoTheSpec() {
        Set<String> attributes = Arrays.stream(CaptureTraffic.class.getDeclaredMethods()).map(Method::getName)
                .collect(Collectors.toSet());
        Set<String> covered = new HashSet<>(SpecBinding.carriedAttributes());
        covered.addAll(SpecBinding.EXTENSION_ATTRIBUTES);

        assertThat(covered).isEqualTo(attributes);
        assertThat(SpecBinding.carriedAttributes()).contains("bufferSize").doesNotContainAnyElementsOf(
                SpecBinding.EXTENSION_ATTRIBUTES);
    }

    @Test
    void eachCarriedAttribute_alone_changesTheSpec() throws Exception {
        for (String attribute : SpecBinding.carriedAttributes()) {
            CaptureTraffic sample = Samples.class.getDeclaredMethod(attribute).getAnnotation(CaptureTraffic.class);

            String with = spec(sample).toString();
            String without = spec(withDefault(sample, attribute)).toString();

            assertThat(with).as("spec with %s set vs at its default", attribute).isNotEqualTo(without);
        }
    }

    @Test
    void attributesAtTheirDefault_leaveTheEnginesDefaults() throws Exception {
        CaptureTraffic bare = Samples.class.getDeclaredMethod("filter").getAnnotation(CaptureTraffic.class);

        CaptureSpec spec = spec(withDefault(bare, "filter"));

        assertThat(spec.toString()).isEqualTo(CaptureSpec.builder().build().toString());
    }

    @Test
    void headersOnlyAndSnaplenBothSet_headersOnlyWins() throws Exception {
        CaptureTraffic headersOnly = Samples.class.getDeclaredMethod("headersOnly").getAnnotation(CaptureTraffic.class);
        CaptureTraffic both = override(headersOnly, "snaplen", 1500);

        assertThat(spec(both).snaplen()).isEqualTo(CaptureSpec.HEADERS_ONLY_SNAPLEN);
    }

    @Test
    void literal_isTheAttributeAsWritten() throws Exception {
        CaptureTraffic sample = Samples.class.getDeclaredMethod("explainNamespaces").getAnnotation(CaptureTraffic.class);

        assertThat(SpecBinding.of(sample).literal("explainNamespaces")).contains("{\"db\"}");
        assertThat(SpecBinding.of(sample).literal("explainFirewall")).contains("\"tcp dport 1433\"");
        assertThat(SpecBinding.of(sample).literal("keep")).isEmpty();
    }

    private static CaptureSpec spec(CaptureTraffic annotation) {
        CaptureSpec.Builder builder = CaptureSpec.builder();
        SpecBinding.of(annotation).applyTo(builder);
        return builder.build();
    }

    /** {@code annotation} with {@code attribute} back at its default value. */
    private static CaptureTraffic withDefault(CaptureTraffic annotation, String attribute) throws Exception {
        return override(annotation, attribute, CaptureTraffic.class.getMethod(attribute).getDefaultValue());
    }

    /** {@code annotation} with {@code attribute} returning {@code value}, every other attribute as it was. */
    private static CaptureTraffic override(CaptureTraffic annotation, String attribute, Object value) {
        return (CaptureTraffic) Proxy.newProxyInstance(CaptureTraffic.class.getClassLoader(),
                new Class<?>[] {CaptureTraffic.class}, (proxy, method, args) -> {
                    if (method.getName().equals(attribute)) {
                        return value;
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    return method.invoke(annotation, args);
                });
    }
}
