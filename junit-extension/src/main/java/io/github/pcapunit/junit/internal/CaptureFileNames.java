package io.github.pcapunit.junit.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names capture files so a person finds them:
 * {@code <dir>/<TestClass>/<method>[<invocation>].pcapng}. Invocation numbers come from JUnit's
 * unique id (parameterized, repeated and dynamic tests; nested dynamic containers join with
 * dots, e.g. {@code [2.1]}). Names are claimed once per run so overloaded methods do not share a
 * file.
 */
public final class CaptureFileNames {

    private static final Pattern INVOCATION =
            Pattern.compile("\\[(?:test-template-invocation|dynamic-container|dynamic-test):#(\\d+)]");
    private static final int MAX_NAME = 180;

    private final Set<Path> claimed = ConcurrentHashMap.newKeySet();

    /**
     * The file for one test, unique within this run.
     *
     * @param directory output directory
     * @param testClass the class declaring the test ({@code @Nested} classes included)
     * @param methodName the test method's name, or a label for class-wide captures
     * @param uniqueId JUnit's unique id of the test
     */
    public Path claim(Path directory, Class<?> testClass, String methodName, String uniqueId) {
        Path classDir = directory.resolve(sanitize(testClass.getName().replace('$', '.')));
        String base = sanitize(methodName) + invocationSuffix(uniqueId);
        Path candidate = classDir.resolve(base + ".pcapng");
        for (int n = 2; !claimed.add(candidate.toAbsolutePath().normalize()); n++) {
            candidate = classDir.resolve(base + "-" + n + ".pcapng");
        }
        return candidate;
    }

    /** {@code [1]} or {@code [2.1]} for invocations, empty for plain tests. */
    static String invocationSuffix(String uniqueId) {
        Matcher m = INVOCATION.matcher(uniqueId);
        List<String> numbers = new ArrayList<>();
        while (m.find()) {
            numbers.add(m.group(1));
        }
        return numbers.isEmpty() ? "" : "[" + String.join(".", numbers) + "]";
    }

    /** Letters, digits, {@code . _ -} stay; anything else (spaces, slashes, quotes) becomes {@code _}. */
    static String sanitize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.appendCodePoint(
                Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' ? c : '_'));
        String s = out.toString();
        if (s.isEmpty() || s.chars().allMatch(c -> c == '.')) {
            s = "_" + s;
        }
        return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
    }
}
