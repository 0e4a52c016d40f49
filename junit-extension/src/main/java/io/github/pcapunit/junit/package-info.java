/**
 * pcapunit's JUnit Jupiter extension: {@link io.github.pcapunit.junit.CaptureTraffic} captures
 * the packets of each test into a pcapng file under {@code target/pcapunit/}, kept when the test
 * fails and then named in the test output:
 * {@code pcapunit: kept /.../target/pcapunit/com.example.OrderRepositoryTest/savesOrder.pcapng (test failed)}.
 *
 * <pre>{@code
 * @CaptureTraffic(filter = "tcp port 1433")
 * class OrderRepositoryTest {
 *     @Test
 *     void savesOrder(CapturedTraffic traffic) {
 *         repository.save(order);
 *         assertThat(traffic).hasNoDroppedPacketsTo(1433);
 *     }
 * }
 * }</pre>
 *
 * <p>All tests of a run share one capture per distinct interfaces/filter/snaplen, cut into one
 * slice per test, so a test pays well under the cost of starting a capture; the last slices are
 * written before the run ends. For options known only at run time, register
 * {@link io.github.pcapunit.junit.CaptureTrafficExtension} with {@code @RegisterExtension}.
 */
package io.github.pcapunit.junit;
