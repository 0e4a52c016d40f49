package io.github.pcapunit.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link CaptureSpec} is a value: equal options give equal specs with equal hashes, and every
 * option of the builder takes part, so a capture shared by equal specs never mixes two setups.
 */
class CaptureSpecEqualityTest {

    /** An option of the builder, set to a value other than its default, on a base that allows it. */
    private record Option(UnaryOperator<CaptureSpec.Builder> base, UnaryOperator<CaptureSpec.Builder> set) {
        static Option of(UnaryOperator<CaptureSpec.Builder> set) {
            return new Option(b -> b, set);
        }
    }

    /** Every public option of CaptureSpec.Builder by signature; a new option fails the test until it is added. */
    private static final Map<String, Option> OPTIONS = options();

    private static Map<String, Option> options() {
        Map<String, Option> o = new LinkedHashMap<>();
        o.put("interfaces(String[])", Option.of(b -> b.interfaces("lo")));
        o.put("interfaces(List)", Option.of(b -> b.interfaces(List.of("lo", "eth0"))));
        o.put("filter(String)", Option.of(b -> b.filter("udp port 53")));
        o.put("filter(CaptureFilter)", Option.of(b -> b.filter(CaptureFilter.tcp())));
        o.put("snaplen(int)", Option.of(b -> b.snaplen(1500)));
        o.put("headersOnly()", Option.of(CaptureSpec.Builder::headersOnly));
        o.put("bufferSize(int)", Option.of(b -> b.bufferSize(1 << 20)));
        o.put("maxFileSize(long)", Option.of(b -> b.maxFileSize(10_000_000)));
        o.put("output(Path)", Option.of(b -> b.output(Path.of("target/equality.pcapng"))));
        o.put("readTimeout(Duration)", Option.of(b -> b.readTimeout(Duration.ofMillis(20))));
        o.put("kernelEvidence(KernelEvidence)", Option.of(b -> b.kernelEvidence(KernelEvidence.OFF)));
        o.put("explainFirewall(String)", Option.of(b -> b.explainFirewall("tcp dport 1433")));
        o.put("explainNamespaces(String[])",
                new Option(b -> b.explainFirewall("tcp dport 1433"), b -> b.explainNamespaces("db")));
        o.put("comment(String)", Option.of(b -> b.comment("a test's name")));
        o.put("point(CapturePoint)", Option.of(b -> b.point(CapturePoint.namespace("app"))));
        o.put("points(List)", Option.of(b -> b.points(List.of(CapturePoint.container("web")))));
        o.put("namespaces(String[])", Option.of(b -> b.namespaces("db/eth0")));
        o.put("containers(String[])", Option.of(b -> b.containers("cache")));
        return o;
    }

    @Test
    void everyPublicBuilderOption_isListedHere() {
        TreeSet<String> options = new TreeSet<>();
        for (Method m : CaptureSpec.Builder.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && m.getReturnType() == CaptureSpec.Builder.class) {
                options.add(m.getName() + "(" + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(",")) + ")");
            }
        }

        assertThat(options).as("builder options; give each new one a non-default value in OPTIONS")
                .containsExactlyInAnyOrderElementsOf(OPTIONS.keySet());
    }

    @Test
    void eachOptionSetToANonDefaultValue_makesTheSpecDifferFromTheOneWithout() {
        for (Map.Entry<String, Option> e : OPTIONS.entrySet()) {
            CaptureSpec without = e.getValue().base().apply(CaptureSpec.builder()).build();
            CaptureSpec with = e.getValue().set().apply(e.getValue().base().apply(CaptureSpec.builder())).build();

            assertThat(with).as(e.getKey()).isNotEqualTo(without);
            assertThat(with.hashCode()).as(e.getKey() + " hash").isNotEqualTo(without.hashCode());
            assertThat(with).as(e.getKey() + " rebuilt").isEqualTo(e.getValue().set()
                    .apply(e.getValue().base().apply(CaptureSpec.builder())).build());
        }
    }

    @Test
    void specWithEveryOptionSet_equalsItsCopyAndDiffersFromACopyWithOneOptionChanged() {
        CaptureSpec.Builder all = CaptureSpec.builder();
        for (Option o : OPTIONS.values()) {
            all = o.set().apply(o.base().apply(all));
        }
        CaptureSpec spec = all.build();
        CaptureSpec copy = spec.toBuilder().build();

        assertThat(copy).isEqualTo(spec).hasSameHashCodeAs(spec).isNotSameAs(spec);
        assertThat(spec.toBuilder().comment("another test").build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().readTimeout(Duration.ofMillis(11)).build()).isNotEqualTo(spec);
        assertThat(spec).isNotEqualTo(null).isNotEqualTo(spec.toString());
    }

    @Test
    void optionSetToItsDefaultValue_equalsTheOptionLeftUnset() {
        CaptureSpec unset = CaptureSpec.builder().build();

        assertThat(CaptureSpec.builder().snaplen(CaptureSpec.DEFAULT_SNAPLEN).bufferSize(CaptureSpec.DEFAULT_BUFFER_SIZE)
                .readTimeout(CaptureSpec.DEFAULT_READ_TIMEOUT).kernelEvidence(KernelEvidence.AUTO).maxFileSize(0)
                .filter(" ").build()).isEqualTo(unset).hasSameHashCodeAs(unset);
    }
}
