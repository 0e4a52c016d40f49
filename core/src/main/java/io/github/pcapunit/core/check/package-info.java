/**
 * <b>Layer 5, checks.</b> Expectations on captured traffic and their failure messages, shared by
 * the AssertJ assertions and the Maven plugin's {@code capture:verify} so a failing build and a
 * failing test read the same.
 *
 * <pre>{@code
 * Expectation noDrops = TrafficExpectations.noDropsTo(1433);
 * noDrops.check(traffic).ifPresent(v -> System.out.println(v.message()));
 * }</pre>
 */
package io.github.pcapunit.core.check;
