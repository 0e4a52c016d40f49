package io.github.pcapunit.junit;

/**
 * How much of a test class one capture file covers.
 *
 * <pre>{@code
 * @CaptureTraffic(filter = "tcp port 5432", scope = Scope.CLASS)   // one file for the whole class
 * class RepositoryIT { ... }
 * }</pre>
 */
public enum Scope {
    /** Each test gets its own file, {@code <TestClass>/<method>[<invocation>].pcapng} (the default). */
    TEST,
    /**
     * One file for every test of the class (each {@code @Nested} class gets its own),
     * {@code <TestClass>/all-tests.pcapng}, with the start and end of each test marked in it;
     * kept when any test of the class failed (under {@link Keep#ON_FAILURE}). Only on a class.
     * The class's file spans its whole run, so it also holds the packets of its {@code @Nested}
     * classes' tests; their failures keep their own files.
     */
    CLASS
}
